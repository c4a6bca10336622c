// The C API (capi/secretc.h) over the runtime: load_program, bind_case, Machine, conditional_answers and
// open_questions, exactly as `secretc check` uses them; the compiler for rule sources, and the report's
// JSON (cli/report.cpp) for the whole answer. Every entry point catches everything: no C++
// exception crosses the API, and a call that fails leaves its handle as it was.
#include "capi/secretc.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <fstream>
#include <iterator>
#include <new>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include <filesystem>

#include <fmt/format.h>

#include "cli/report.hpp"
#include "compiler/compile.hpp"

#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/diagnostics.hpp"
#include "runtime/explain.hpp"
#include "runtime/messages.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"
#include "runtime/vm.hpp"

struct secretc_rulebase {
  secretc::Program program;
  std::string hash;  // 16 hex digits
};

struct secretc_case {
  explicit secretc_case(const secretc_rulebase& rb) : rulebase(rb), machine(rb.program) {}

  const secretc_rulebase& rulebase;
  secretc::Machine machine;
  secretc_lang lang = SECRETC_LANG_DEFAULT;
  std::int64_t today = 0;
  std::vector<secretc::CaseEntry> entries;  // at most one per fact, each known to bind
  std::vector<std::string> messages;
  std::vector<bool> message_is_error;

  // The last answer, while `evaluated`.
  bool evaluated = false;
  secretc::Result result;
  std::vector<std::uint32_t> may_apply;
  std::vector<secretc::OpenQuestion> questions;
  // Per output, the member names secretc_output points to.
  std::vector<std::vector<const char*>> possible, held;
};

namespace {

using secretc::CaseEntry;
using secretc::CaseValueKind;
using secretc::Program;

secretc::TextLang text_lang(const Program& p, secretc_lang lang) {
  if (lang == SECRETC_LANG_FR) return secretc::TextLang::French;
  if (lang == SECRETC_LANG_EN) return secretc::TextLang::English;
  return p.written_in();
}

std::int64_t today_utc() {
  const auto now = std::chrono::floor<std::chrono::days>(std::chrono::system_clock::now());
  return now.time_since_epoch().count();
}

// Runs `body`, turning any exception into a status: nothing thrown inside may reach a C caller.
template <typename Body>
secretc_status guarded(Body&& body) noexcept {
  try {
    return body();
  } catch (const std::bad_alloc&) {
    return SECRETC_ERROR_MEMORY;
  } catch (...) {
    return SECRETC_ERROR_INTERNAL;
  }
}

// A copy of `text` the caller frees with secretc_string_free (malloc, so that it can be freed from C).
char* c_string(std::string_view text) noexcept {
  char* out = static_cast<char*>(std::malloc(text.size() + 1));
  if (out == nullptr) return nullptr;
  std::memcpy(out, text.data(), text.size());
  out[text.size()] = '\0';
  return out;
}

void set_error(char** error, std::string_view text) noexcept {
  if (error != nullptr) *error = c_string(text);
}

secretc_status load(std::string_view bytes, secretc_rulebase** out, char** error) {
  auto loaded = secretc::load_program(bytes);
  if (const auto* e = std::get_if<secretc::BytecodeError>(&loaded)) {
    set_error(error, e->message);
    return SECRETC_ERROR_BYTECODE;
  }
  auto* rb = new secretc_rulebase{std::move(std::get<Program>(loaded)), {}};
  rb->hash = fmt::format("{:016x}", rb->program.source_hash);
  *out = rb;
  return SECRETC_OK;
}

// Each fact's answer is invalid once the facts change.
void invalidate(secretc_case& c) {
  c.evaluated = false;
  c.result = {};
  c.may_apply.clear();
  c.questions.clear();
  c.possible.clear();
  c.held.clear();
}

std::string text_of(const secretc::Message& m, const std::string& plain, secretc::TextLang lang) {
  return m.id == secretc::Msg::Count_ ? plain : secretc::message_text(m, lang);
}

// The diagnostics of binding one entry, as the case's messages: `fact `NAME`: error: MESSAGE — HINT`.
void keep_messages(secretc_case& c, const std::string& name, const secretc::Diagnostics& diags) {
  const secretc::TextLang lang = text_lang(c.rulebase.program, c.lang);
  const bool fr = lang == secretc::TextLang::French;
  for (const secretc::Diagnostic& d : diags.sorted()) {
    const std::string hint = text_of(d.hint_text, d.hint, lang);
    const char* severity = d.severity == secretc::Severity::Error     ? (fr ? "erreur" : "error")
                           : d.severity == secretc::Severity::Warning ? (fr ? "avertissement" : "warning")
                                                                      : "note";
    c.messages.push_back(fmt::format("{} `{}`: {}: {}{}", fr ? "fait" : "fact", name, severity,
                                     text_of(d.text, d.message, lang), hint.empty() ? "" : " — " + hint));
    c.message_is_error.push_back(d.severity == secretc::Severity::Error);
  }
}

// Gives one fact: checked alone by bind_case (the case file's own reading), then kept in place of any
// earlier value of the same fact. Nothing changes when it is refused.
secretc_status set_entry(secretc_case* c, const char* name, CaseValueKind kind, std::string text) {
  if (c == nullptr || name == nullptr) return SECRETC_ERROR_ARGUMENT;
  return guarded([&] {
    c->messages.clear();
    c->message_is_error.clear();
    CaseEntry e;
    e.name = name;
    e.kind = kind;
    e.text = std::move(text);
    e.name_at = secretc::Location{secretc::kNoFile, 1, 1};
    e.value_at = secretc::Location{secretc::kNoFile, 1, 2};
    secretc::Diagnostics diags;
    (void)secretc::bind_case(c->rulebase.program, {e}, c->today, diags);
    keep_messages(*c, e.name, diags);
    if (diags.has_errors()) return SECRETC_ERROR_CASE;
    invalidate(*c);
    const auto same =
        std::find_if(c->entries.begin(), c->entries.end(), [&](const CaseEntry& x) { return x.name == e.name; });
    if (same != c->entries.end()) {
      *same = std::move(e);
    } else {
      c->entries.push_back(std::move(e));
    }
    return SECRETC_OK;
  });
}

const secretc::Program* program_of(const secretc_rulebase* rb) {
  return rb == nullptr ? nullptr : &rb->program;
}

}  // namespace

extern "C" {

int secretc_api_version(void) {
  return SECRETC_API_VERSION;
}

const char* secretc_status_name(secretc_status status) {
  switch (status) {
    case SECRETC_OK:
      return "ok";
    case SECRETC_ERROR_ARGUMENT:
      return "invalid argument";
    case SECRETC_ERROR_BYTECODE:
      return "invalid bytecode";
    case SECRETC_ERROR_IO:
      return "input/output error";
    case SECRETC_ERROR_CASE:
      return "invalid case";
    case SECRETC_ERROR_STATE:
      return "not evaluated";
    case SECRETC_ERROR_MEMORY:
      return "out of memory";
    case SECRETC_ERROR_INTERNAL:
      return "internal error";
    case SECRETC_ERROR_RULES:
      return "invalid rules";
    case SECRETC_STATUS_MAX_:
      break;
  }
  return "unknown status";
}

void secretc_string_free(char* string) {
  std::free(string);
}

secretc_status secretc_rulebase_load_bytes(const void* bytes, size_t size, secretc_rulebase** out, char** error) {
  if (error != nullptr) *error = nullptr;
  if (out == nullptr || (bytes == nullptr && size > 0)) return SECRETC_ERROR_ARGUMENT;
  *out = nullptr;
  const secretc_status s = guarded(
      [&] { return load(std::string_view(static_cast<const char*>(bytes), bytes == nullptr ? 0 : size), out, error); });
  if (s == SECRETC_ERROR_MEMORY || s == SECRETC_ERROR_INTERNAL) set_error(error, secretc_status_name(s));
  return s;
}

secretc_status secretc_rulebase_compile(const char* path, secretc_rulebase** out, char** error) {
  if (error != nullptr) *error = nullptr;
  if (out == nullptr || path == nullptr) return SECRETC_ERROR_ARGUMENT;
  *out = nullptr;
  const secretc_status s = guarded([&] {
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) {
      set_error(error, fmt::format("{}: no such file or folder", path));
      return SECRETC_ERROR_IO;
    }
    secretc::Compilation c = secretc::compile_paths({path});
    if (!c.program) {
      set_error(error, secretc::render_all(c.diags, c.sources));
      return SECRETC_ERROR_RULES;
    }
    auto* rb = new secretc_rulebase{std::move(*c.program), {}};
    rb->hash = fmt::format("{:016x}", rb->program.source_hash);
    *out = rb;
    return SECRETC_OK;
  });
  if (s == SECRETC_ERROR_MEMORY || s == SECRETC_ERROR_INTERNAL) set_error(error, secretc_status_name(s));
  return s;
}

secretc_status secretc_rulebase_load_file(const char* path, secretc_rulebase** out, char** error) {
  if (error != nullptr) *error = nullptr;
  if (out == nullptr || path == nullptr) return SECRETC_ERROR_ARGUMENT;
  *out = nullptr;
  const secretc_status s = guarded([&] {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
      set_error(error, fmt::format("{}: cannot open the file", path));
      return SECRETC_ERROR_IO;
    }
    // Read at most one byte past the limit: a larger file is refused without being read whole.
    std::string bytes;
    bytes.resize(secretc::kMaxBytecodeFileBytes + 1);
    in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (in.bad()) {
      set_error(error, fmt::format("{}: cannot read the file", path));
      return SECRETC_ERROR_IO;
    }
    bytes.resize(static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > secretc::kMaxBytecodeFileBytes) {
      set_error(error, fmt::format("{}: larger than {} bytes, the limit of a bytecode file", path,
                                   secretc::kMaxBytecodeFileBytes));
      return SECRETC_ERROR_IO;
    }
    const secretc_status loaded = load(bytes, out, error);
    if (loaded != SECRETC_OK && error != nullptr && *error != nullptr) {
      const std::string located = fmt::format("{}: {}", path, *error);
      secretc_string_free(*error);
      set_error(error, located);
    }
    return loaded;
  });
  if (s == SECRETC_ERROR_MEMORY || s == SECRETC_ERROR_INTERNAL) set_error(error, secretc_status_name(s));
  return s;
}

void secretc_rulebase_free(secretc_rulebase* rulebase) {
  delete rulebase;
}

const char* secretc_rulebase_name(const secretc_rulebase* rb) {
  return rb == nullptr ? nullptr : rb->program.name.c_str();
}
const char* secretc_rulebase_version(const secretc_rulebase* rb) {
  return rb == nullptr ? nullptr : rb->program.version.c_str();
}
const char* secretc_rulebase_hash(const secretc_rulebase* rb) {
  return rb == nullptr ? nullptr : rb->hash.c_str();
}

size_t secretc_rulebase_fact_count(const secretc_rulebase* rb) {
  return rb == nullptr ? 0 : rb->program.facts.size();
}

const char* secretc_rulebase_fact_name(const secretc_rulebase* rb, size_t fact) {
  const Program* p = program_of(rb);
  return p == nullptr || fact >= p->facts.size() ? nullptr : p->facts[fact].name.c_str();
}

int secretc_rulebase_fact_type(const secretc_rulebase* rb, size_t fact) {
  const Program* p = program_of(rb);
  if (p == nullptr || fact >= p->facts.size()) return -1;
  switch (p->facts[fact].type.kind) {
    case secretc::TypeKind::Bool:
      return SECRETC_TYPE_BOOL;
    case secretc::TypeKind::Integer:
      return SECRETC_TYPE_INTEGER;
    case secretc::TypeKind::Date:
      return SECRETC_TYPE_DATE;
    case secretc::TypeKind::String:
      return SECRETC_TYPE_STRING;
    case secretc::TypeKind::Article:
      return SECRETC_TYPE_ARTICLE;
    case secretc::TypeKind::Enum:
      return SECRETC_TYPE_MEMBER;
    case secretc::TypeKind::Set:
      return SECRETC_TYPE_SET;
  }
  return -1;
}

const char* secretc_rulebase_fact_question(const secretc_rulebase* rb, size_t fact, secretc_lang lang) {
  const Program* p = program_of(rb);
  if (p == nullptr || fact >= p->facts.size()) return nullptr;
  return p->question_of(static_cast<std::uint32_t>(fact), text_lang(*p, lang)).c_str();
}

size_t secretc_rulebase_fact_member_count(const secretc_rulebase* rb, size_t fact) {
  const Program* p = program_of(rb);
  if (p == nullptr || fact >= p->facts.size() || p->facts[fact].type.kind != secretc::TypeKind::Enum) return 0;
  return p->enums[p->facts[fact].type.enum_id].members.size();
}

const char* secretc_rulebase_fact_member(const secretc_rulebase* rb, size_t fact, size_t member) {
  if (member >= secretc_rulebase_fact_member_count(rb, fact)) return nullptr;
  return rb->program.enums[rb->program.facts[fact].type.enum_id].members[member].c_str();
}

secretc_status secretc_rulebase_find_fact(const secretc_rulebase* rb, const char* name, size_t* index) {
  if (rb == nullptr || name == nullptr || index == nullptr) return SECRETC_ERROR_ARGUMENT;
  const auto found = rb->program.find_fact(name);
  if (!found) return SECRETC_ERROR_ARGUMENT;
  *index = *found;
  return SECRETC_OK;
}

secretc_status secretc_rulebase_find_output(const secretc_rulebase* rb, const char* name, size_t* index) {
  if (rb == nullptr || name == nullptr || index == nullptr) return SECRETC_ERROR_ARGUMENT;
  const auto found = rb->program.find_output(name);
  if (!found) return SECRETC_ERROR_ARGUMENT;
  *index = *found;
  return SECRETC_OK;
}

secretc_status secretc_rulebase_find_rule(const secretc_rulebase* rb, const char* name, size_t* index) {
  if (rb == nullptr || name == nullptr || index == nullptr) return SECRETC_ERROR_ARGUMENT;
  const auto found = rb->program.find_rule(name);
  if (!found) return SECRETC_ERROR_ARGUMENT;
  *index = *found;
  return SECRETC_OK;
}

size_t secretc_rulebase_output_count(const secretc_rulebase* rb) {
  return rb == nullptr ? 0 : rb->program.outputs.size();
}

const char* secretc_rulebase_output_name(const secretc_rulebase* rb, size_t output) {
  const Program* p = program_of(rb);
  return p == nullptr || output >= p->outputs.size() ? nullptr : p->outputs[output].name.c_str();
}

int secretc_rulebase_output_is_set(const secretc_rulebase* rb, size_t output) {
  const Program* p = program_of(rb);
  if (p == nullptr || output >= p->outputs.size()) return -1;
  return p->outputs[output].kind == secretc::OutputKind::Set ? 1 : 0;
}

size_t secretc_rulebase_rule_count(const secretc_rulebase* rb) {
  return rb == nullptr ? 0 : rb->program.rules.size();
}

const char* secretc_rulebase_rule_name(const secretc_rulebase* rb, size_t rule) {
  const Program* p = program_of(rb);
  return p == nullptr || rule >= p->rules.size() ? nullptr : p->rules[rule].name.c_str();
}

const char* secretc_rulebase_rule_title(const secretc_rulebase* rb, size_t rule, secretc_lang lang) {
  const Program* p = program_of(rb);
  if (p == nullptr || rule >= p->rules.size()) return nullptr;
  return p->rule_title(static_cast<std::uint32_t>(rule), text_lang(*p, lang)).c_str();
}

const char* secretc_rulebase_rule_cite(const secretc_rulebase* rb, size_t rule) {
  const Program* p = program_of(rb);
  return p == nullptr || rule >= p->rules.size() ? nullptr : p->rules[rule].cite.c_str();
}

int secretc_rulebase_rule_is_warning(const secretc_rulebase* rb, size_t rule) {
  const Program* p = program_of(rb);
  if (p == nullptr || rule >= p->rules.size()) return -1;
  return p->rules[rule].kind == secretc::RuleKind::Warning ? 1 : 0;
}

secretc_status secretc_case_new(const secretc_rulebase* rb, secretc_case** out) {
  if (out == nullptr) return SECRETC_ERROR_ARGUMENT;
  *out = nullptr;
  if (rb == nullptr) return SECRETC_ERROR_ARGUMENT;
  return guarded([&] {
    auto* c = new secretc_case(*rb);
    c->today = today_utc();
    *out = c;
    return SECRETC_OK;
  });
}

void secretc_case_free(secretc_case* c) {
  delete c;
}

secretc_status secretc_case_clear(secretc_case* c) {
  if (c == nullptr) return SECRETC_ERROR_ARGUMENT;
  c->entries.clear();
  c->messages.clear();
  c->message_is_error.clear();
  invalidate(*c);
  return SECRETC_OK;
}

secretc_status secretc_case_set_language(secretc_case* c, secretc_lang lang) {
  if (c == nullptr || (lang != SECRETC_LANG_DEFAULT && lang != SECRETC_LANG_FR && lang != SECRETC_LANG_EN)) {
    return SECRETC_ERROR_ARGUMENT;
  }
  c->lang = lang;
  return SECRETC_OK;
}

secretc_status secretc_case_set_today(secretc_case* c, int year, int month, int day) {
  if (c == nullptr || month < 1 || day < 1 ||
      !secretc::valid_date(year, static_cast<unsigned>(month), static_cast<unsigned>(day))) {
    return SECRETC_ERROR_ARGUMENT;
  }
  c->today = secretc::days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  invalidate(*c);
  return SECRETC_OK;
}

secretc_status secretc_case_set_bool(secretc_case* c, const char* name, int value) {
  return set_entry(c, name, CaseValueKind::Word, value != 0 ? "true" : "false");
}

secretc_status secretc_case_set_integer(secretc_case* c, const char* name, int64_t value) {
  return guarded([&] { return set_entry(c, name, CaseValueKind::Integer, std::to_string(value)); });
}

secretc_status secretc_case_set_date(secretc_case* c, const char* name, int year, int month, int day) {
  // Written as a case file writes a date: bind_case refuses a text that is no day (`2019-02-30`, a year
  // past 9999, a negative month), with the case file's message.
  return guarded(
      [&] { return set_entry(c, name, CaseValueKind::Date, fmt::format("{:04}-{:02}-{:02}", year, month, day)); });
}

secretc_status secretc_case_set_word(secretc_case* c, const char* name, const char* word) {
  if (word == nullptr) return SECRETC_ERROR_ARGUMENT;
  return guarded([&] {
    // A case file reads `?` as unknown, whatever the fact.
    const std::string_view w(word);
    return set_entry(c, name, w == "?" ? CaseValueKind::Unknown : CaseValueKind::Word, std::string(w));
  });
}

secretc_status secretc_case_set_string(secretc_case* c, const char* name, const char* text) {
  if (text == nullptr) return SECRETC_ERROR_ARGUMENT;
  return guarded([&] { return set_entry(c, name, CaseValueKind::String, text); });
}

secretc_status secretc_case_set_unknown(secretc_case* c, const char* name) {
  return set_entry(c, name, CaseValueKind::Unknown, "?");
}

secretc_status secretc_case_unset(secretc_case* c, const char* name) {
  if (c == nullptr || name == nullptr) return SECRETC_ERROR_ARGUMENT;
  return guarded([&] {
    c->messages.clear();
    c->message_is_error.clear();
    const auto same =
        std::find_if(c->entries.begin(), c->entries.end(), [&](const CaseEntry& x) { return x.name == name; });
    if (same == c->entries.end()) {
      const bool fr = text_lang(c->rulebase.program, c->lang) == secretc::TextLang::French;
      c->messages.push_back(fr ? fmt::format("fait `{}`: erreur: il n'est pas donné", name)
                               : fmt::format("fact `{}`: error: it is not given", name));
      c->message_is_error.push_back(true);
      return SECRETC_ERROR_CASE;
    }
    c->entries.erase(same);
    invalidate(*c);
    return SECRETC_OK;
  });
}

size_t secretc_case_message_count(const secretc_case* c) {
  return c == nullptr ? 0 : c->messages.size();
}

const char* secretc_case_message(const secretc_case* c, size_t index) {
  return c == nullptr || index >= c->messages.size() ? nullptr : c->messages[index].c_str();
}

int secretc_case_message_is_error(const secretc_case* c, size_t index) {
  if (c == nullptr || index >= c->message_is_error.size()) return -1;
  return c->message_is_error[index] ? 1 : 0;
}

secretc_status secretc_case_evaluate(secretc_case* c) {
  if (c == nullptr) return SECRETC_ERROR_ARGUMENT;
  const secretc_status s = guarded([&] {
    c->messages.clear();
    c->message_is_error.clear();
    invalidate(*c);
    const Program& p = c->rulebase.program;
    secretc::Diagnostics diags;
    // Each entry bound alone already; bound together they cannot fail (one entry per fact), but a
    // refusal would be reported rather than evaluated.
    const secretc::BoundCase bound = secretc::bind_case(p, c->entries, c->today, diags);
    if (diags.has_errors()) {
      keep_messages(*c, "", diags);
      return SECRETC_ERROR_INTERNAL;
    }
    // As `secretc check` (cli/report.cpp, analyse_case): the result, then the conditional answers when
    // some output is not settled, which rank the open questions.
    secretc::Result result = c->machine.evaluate(bound.facts, &bound.given);
    const bool settled = std::all_of(result.outputs.begin(), result.outputs.end(),
                                     [](const secretc::OutputValue& v) { return v.settled; });
    std::vector<secretc::Dependence> deps;
    if (!settled) deps = secretc::conditional_answers(c->machine, bound.facts, &bound.given, result);
    std::vector<secretc::OpenQuestion> questions = secretc::open_questions(p, result, deps);
    std::vector<std::uint32_t> may_apply;
    for (std::uint32_t r = 0; r < p.rules.size(); ++r) {
      if (result.applies[r] == secretc::Truth::Unknown && p.rules[r].kind != secretc::RuleKind::Warning)
        may_apply.push_back(r);
    }
    std::vector<std::vector<const char*>> possible(p.outputs.size()), held(p.outputs.size());
    for (std::size_t o = 0; o < p.outputs.size(); ++o) {
      const secretc::OutputInfo& info = p.outputs[o];
      const std::vector<std::string>& members = p.enums[info.enum_id].members;
      const secretc::OutputValue& v = result.outputs[o];
      for (std::size_t m = 0; m < members.size() && m < 64; ++m) {
        if ((v.possible >> m) & 1U) possible[o].push_back(members[m].c_str());
        if (info.kind == secretc::OutputKind::Set && v.value.known &&
            ((static_cast<std::uint64_t>(v.value.payload) >> m) & 1U)) {
          held[o].push_back(members[m].c_str());
        }
      }
      if (info.kind == secretc::OutputKind::Scalar && v.value.known && !v.conflict &&
          static_cast<std::uint64_t>(v.value.payload) < members.size()) {
        held[o].push_back(members[static_cast<std::size_t>(v.value.payload)].c_str());
      }
    }
    c->result = std::move(result);
    c->may_apply = std::move(may_apply);
    c->questions = std::move(questions);
    c->possible = std::move(possible);
    c->held = std::move(held);
    c->evaluated = true;
    return SECRETC_OK;
  });
  if (s != SECRETC_OK) invalidate(*c);
  return s;
}

size_t secretc_case_output_count(const secretc_case* c) {
  return c == nullptr || !c->evaluated ? 0 : c->result.outputs.size();
}

secretc_status secretc_case_output(const secretc_case* c, size_t output, secretc_output* out) {
  if (c == nullptr || out == nullptr) return SECRETC_ERROR_ARGUMENT;
  if (!c->evaluated) return SECRETC_ERROR_STATE;
  if (output >= c->result.outputs.size()) return SECRETC_ERROR_ARGUMENT;
  const Program& p = c->rulebase.program;
  const secretc::OutputValue& v = c->result.outputs[output];
  const bool is_set = p.outputs[output].kind == secretc::OutputKind::Set;
  out->name = p.outputs[output].name.c_str();
  out->is_set = is_set ? 1 : 0;
  out->value = !is_set && !c->held[output].empty() ? c->held[output].front() : nullptr;
  out->settled = v.settled ? 1 : 0;
  out->conflict = v.conflict ? 1 : 0;
  out->may_be_unknown = v.may_be_unknown ? 1 : 0;
  out->possible = c->possible[output].data();
  out->possible_count = c->possible[output].size();
  out->held = c->held[output].data();
  out->held_count = c->held[output].size();
  return SECRETC_OK;
}

secretc_status secretc_case_output_named(const secretc_case* c, const char* name, secretc_output* out) {
  if (c == nullptr || name == nullptr || out == nullptr) return SECRETC_ERROR_ARGUMENT;
  const auto found = c->rulebase.program.find_output(name);
  if (!found) return SECRETC_ERROR_ARGUMENT;
  return secretc_case_output(c, *found, out);
}

size_t secretc_case_fired_count(const secretc_case* c) {
  return c == nullptr || !c->evaluated ? 0 : c->result.fired.size();
}

size_t secretc_case_fired(const secretc_case* c, size_t index) {
  return index < secretc_case_fired_count(c) ? c->result.fired[index] : SIZE_MAX;
}

size_t secretc_case_set_aside_count(const secretc_case* c) {
  return c == nullptr || !c->evaluated ? 0 : c->result.overridden.size();
}

secretc_status secretc_case_set_aside(const secretc_case* c, size_t index, size_t* rule, size_t* by) {
  if (c == nullptr || rule == nullptr || by == nullptr) return SECRETC_ERROR_ARGUMENT;
  if (!c->evaluated) return SECRETC_ERROR_STATE;
  if (index >= c->result.overridden.size()) return SECRETC_ERROR_ARGUMENT;
  *rule = c->result.overridden[index].rule;
  *by = c->result.overridden[index].by;
  return SECRETC_OK;
}

size_t secretc_case_may_apply_count(const secretc_case* c) {
  return c == nullptr || !c->evaluated ? 0 : c->may_apply.size();
}

size_t secretc_case_may_apply(const secretc_case* c, size_t index) {
  return index < secretc_case_may_apply_count(c) ? c->may_apply[index] : SIZE_MAX;
}

size_t secretc_case_conflict_count(const secretc_case* c) {
  return c == nullptr || !c->evaluated ? 0 : c->result.conflicts.size();
}

secretc_status secretc_case_conflict(const secretc_case* c, size_t index, size_t* output, size_t* first,
                                     size_t* second) {
  if (c == nullptr || output == nullptr || first == nullptr || second == nullptr) return SECRETC_ERROR_ARGUMENT;
  if (!c->evaluated) return SECRETC_ERROR_STATE;
  if (index >= c->result.conflicts.size()) return SECRETC_ERROR_ARGUMENT;
  *output = c->result.conflicts[index].output;
  *first = c->result.conflicts[index].first;
  *second = c->result.conflicts[index].second;
  return SECRETC_OK;
}

size_t secretc_case_open_question_count(const secretc_case* c) {
  return c == nullptr || !c->evaluated ? 0 : c->questions.size();
}

secretc_status secretc_case_open_question(const secretc_case* c, size_t index, size_t* fact, secretc_rank* rank) {
  if (c == nullptr || fact == nullptr || rank == nullptr) return SECRETC_ERROR_ARGUMENT;
  if (!c->evaluated) return SECRETC_ERROR_STATE;
  if (index >= c->questions.size()) return SECRETC_ERROR_ARGUMENT;
  *fact = c->questions[index].fact;
  *rank = static_cast<secretc_rank>(c->questions[index].rank);
  return SECRETC_OK;
}

}  // extern "C"

secretc_status secretc_case_answer_json(secretc_case* c, int why_not, char** json) {
  if (json != nullptr) *json = nullptr;
  if (c == nullptr || json == nullptr) return SECRETC_ERROR_ARGUMENT;
  const secretc_status evaluated = secretc_case_evaluate(c);
  if (evaluated != SECRETC_OK) return evaluated;
  return guarded([&] {
    const Program& p = c->rulebase.program;
    secretc::Diagnostics diags;
    const secretc::BoundCase bound = secretc::bind_case(p, c->entries, c->today, diags);
    if (diags.has_errors()) return SECRETC_ERROR_INTERNAL;  // bound once already by the evaluation
    const secretc::CaseAnalysis a = secretc::analyse_case(c->machine, bound, why_not != 0);
    const secretc::CaseReport report{
        "-", &p, &bound, &a.result, &a.dependences, why_not != 0 ? &a.near_misses : nullptr};
    const std::string text = secretc::render_json_text(report, text_lang(p, c->lang));
    *json = c_string(text);
    return *json == nullptr ? SECRETC_ERROR_MEMORY : SECRETC_OK;
  });
}
