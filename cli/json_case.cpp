// JSON cases: each member of `facts` becomes the CaseEntry a case-file line would give, and bind_case
// does the rest — names, types, forgiving words and their notes are the case file's, never copied.
#include "cli/json_case.hpp"

#include <algorithm>
#include <bit>
#include <charconv>
#include <cstring>
#include <set>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>

#include "runtime/same_text.hpp"
#include "runtime/utf8.hpp"

namespace secretc {

namespace {

using ojson = nlohmann::ordered_json;

// `/facts/confident.fonction`: a JSON Pointer (RFC 6901), `~` and `/` escaped.
std::string pointer(std::string_view parent, std::string_view member) {
  std::string out(parent);
  out += '/';
  for (const char c : member) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

bool is_integer_text(std::string_view s) {
  if (!s.empty() && (s.front() == '-' || s.front() == '+')) s.remove_prefix(1);
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A JSON scalar, as both readers (nlohmann's, and simdjson's for JSON lines) see it: its kind, and its text
// (a string's content, a number as JSON writes it).
enum class Scalar : std::uint8_t { Null, True, False, Number, String };

// How a case file would have written this JSON value for a fact of this type: the entry's kind decides
// how bind_case reads it. JSON strings carry no mark of their own, so the fact's type says whether one
// is a word (a member, a yes/no), a date, a number or a text. A name no fact has is read as a word: its
// error is the unknown name, whatever the value. `e` is a fresh entry, filled in place (a batch makes
// one for each value of each line).
inline void fill_view(CaseEntryView& e, const Program& program, std::string_view name,
                      std::optional<std::uint32_t> fact, Scalar scalar, std::string_view text) {
  e.name = name;
  if (fact) e.fact = *fact;
  const TypeKind kind = fact ? program.facts[*fact].type.kind : TypeKind::Enum;
  if (scalar == Scalar::Null) {
    e.kind = CaseValueKind::Unknown;
    e.text = "?";
  } else if (scalar == Scalar::True || scalar == Scalar::False) {
    e.kind = CaseValueKind::Word;
    e.text = scalar == Scalar::True ? "true" : "false";
  } else if (scalar == Scalar::Number) {
    // Integers as digits; any other number as JSON writes it, which only an integer fact refuses clearly.
    e.kind = CaseValueKind::Integer;
    e.text = text;
  } else {
    e.text = text;
    switch (kind) {
      case TypeKind::String:
      case TypeKind::Article:
        e.kind = CaseValueKind::String;
        break;
      case TypeKind::Date:
        e.kind = CaseValueKind::Date;
        break;
      case TypeKind::Integer:
        e.kind = is_integer_text(e.text) ? CaseValueKind::Integer : CaseValueKind::Word;
        break;
      case TypeKind::Bool:
      case TypeKind::Enum:
      case TypeKind::Set:
        e.kind = e.text == "?" ? CaseValueKind::Unknown : CaseValueKind::Word;
        break;
    }
  }
}

CaseEntry entry_for(const Program& program, std::string_view name, Scalar scalar, std::string_view text) {
  CaseEntryView v;
  fill_view(v, program, name, program.find_fact(name), scalar, text);
  CaseEntry e;
  e.name = std::string(v.name);
  e.kind = v.kind;
  e.text = std::string(v.text);
  e.fact = v.fact;
  return e;
}

std::optional<CaseEntry> entry_of(const Program& program, const std::string& name, const ojson& value) {
  if (value.is_null()) return entry_for(program, name, Scalar::Null, {});
  if (value.is_boolean()) return entry_for(program, name, value.get<bool>() ? Scalar::True : Scalar::False, {});
  if (value.is_number()) return entry_for(program, name, Scalar::Number, value.dump());
  if (value.is_string()) return entry_for(program, name, Scalar::String, value.get_ref<const std::string&>());
  return std::nullopt;
}

JsonCaseProblem problem_at(std::string path, Message text, Message hint = {}) {
  return JsonCaseProblem{Severity::Error, std::move(path), 0, 0, std::move(text), std::move(hint)};
}

// The 1-based line and column (in characters) of a byte offset.
std::pair<std::uint32_t, std::uint32_t> line_column(std::string_view text, std::size_t byte) {
  byte = std::min(byte, text.size());
  std::uint32_t line = 1, column = 1;
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else if (!is_utf8_continuation(text[i])) {
      ++column;
    }
  }
  return {line, column};
}

// nlohmann's message without its prefix: `[json.exception.parse_error.101] parse error at line 1,
// column 9: syntax error while parsing value - …` → `syntax error while parsing value - …`.
std::string syntax_message(const std::string& what) {
  const std::size_t at = what.find(": ");
  // The text nlohmann quotes (`last read: '…'`) may be the very bytes that are not UTF-8.
  return utf8_scrubbed(at == std::string::npos ? what : what.substr(at + 2));
}

}  // namespace

bool JsonCase::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const JsonCaseProblem& p) { return p.severity == Severity::Error; });
}

namespace {

// Binds the members of `facts` (an object), skipping the member named `skip` if any, with problems
// located under `prefix` (`/facts` for a case, `` for a JSON line).
void bind_facts(const Program& program, const ojson& facts, std::string_view prefix, std::string_view skip,
                std::int64_t today, JsonCase& out) {
  // Each entry is located at line i + 1 of no file, so that bind_case's diagnostics find their member
  // again; problems are then given in the order of the members.
  std::vector<std::pair<std::size_t, JsonCaseProblem>> found;
  std::vector<std::size_t> member_of_entry;
  std::vector<std::string> paths;
  std::size_t member = 0;
  for (const auto& [name, v] : facts.items()) {
    if (!skip.empty() && name == skip) continue;
    std::optional<CaseEntry> e = entry_of(program, name, v);
    if (!e) {
      found.emplace_back(member++, problem_at(pointer(prefix, name), msg(Msg::JsonFactValue, name)));
      continue;
    }
    const auto line = static_cast<std::uint32_t>(out.entries.size() + 1);
    e->name_at = Location{kNoFile, line, 1};
    e->value_at = Location{kNoFile, line, 2};
    paths.push_back(pointer(prefix, name));
    member_of_entry.push_back(member++);
    out.entries.push_back(std::move(*e));
  }
  Diagnostics diags;
  out.bound = bind_case(program, out.entries, today, diags);
  for (const Diagnostic& d : diags.sorted()) {
    const std::size_t i = d.where.line - 1;
    if (d.where.line == 0 || i >= paths.size()) continue;
    // The note pointing at the first of two equal names cannot come: a JSON object's names were checked
    // for repeats before. A note here is a word read otherwise.
    found.emplace_back(member_of_entry[i], JsonCaseProblem{d.severity, paths[i], 0, 0, d.text, d.hint_text});
  }
  std::stable_sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& [index, problem] : found) out.problems.push_back(std::move(problem));
}

// Parses `text` as JSON, with what a parsed value can no longer show: a member repeated in an object
// (appended to `problems`), and a depth past kMaxJsonDepth. On a syntax error or too deep a text,
// nullopt, with the problem appended.
std::optional<ojson> parse_checked(std::string_view text, std::vector<JsonCaseProblem>& problems) {
  std::vector<std::set<std::string>> seen;
  std::vector<std::string> where;  // the pointer of each open object
  std::string pending_key;
  // A case nests two objects deep; past kMaxJsonDepth the parse stops, before the text's depth can cost
  // memory or time (a pointer per open object, a value per level).
  struct TooDeep {};
  const auto callback = [&](int depth, ojson::parse_event_t event, ojson& parsed) {
    using E = ojson::parse_event_t;
    if ((event == E::object_start || event == E::array_start) && depth >= static_cast<int>(kMaxJsonDepth))
      throw TooDeep{};
    switch (event) {
      case E::object_start:
        where.push_back(seen.empty() ? std::string() : pointer(where.back(), pending_key));
        seen.emplace_back();
        break;
      case E::object_end:
        if (!seen.empty()) seen.pop_back();
        if (!where.empty()) where.pop_back();
        break;
      case E::key:
        pending_key = parsed.get<std::string>();
        if (!seen.empty() && !seen.back().insert(pending_key).second) {
          problems.push_back(problem_at(pointer(where.back(), pending_key), msg(Msg::JsonGivenTwice, pending_key)));
        }
        break;
      default:
        break;
    }
    return true;
  };
  try {
    return ojson::parse(text.begin(), text.end(), callback);
  } catch (const nlohmann::json::parse_error& e) {
    const auto [line, column] = line_column(text, e.byte == 0 ? 0 : e.byte - 1);
    problems.push_back(
        JsonCaseProblem{Severity::Error, "", line, column, msg(Msg::JsonSyntax, syntax_message(e.what())), {}});
  } catch (const nlohmann::json::exception& e) {
    // A number out of range (`1e999`) is reported by nlohmann as another kind of error, without a byte.
    problems.push_back(problem_at("", msg(Msg::JsonSyntax, syntax_message(e.what()))));
  } catch (const TooDeep&) {
    problems.push_back(problem_at(where.empty() ? std::string() : where.back(), msg(Msg::JsonTooDeep, kMaxJsonDepth),
                                  msg(Msg::JsonCaseShape)));
  }
  return std::nullopt;
}

}  // namespace

JsonCase bind_json_case(const Program& program, const ojson& value, std::int64_t today) {
  JsonCase out;
  if (!value.is_object() || !value.contains("facts")) {
    out.problems.push_back(problem_at("", msg(Msg::JsonCaseShape)));
    return out;
  }
  for (const auto& [key, member] : value.items()) {
    // `notes`: what /api/parse-case says beside a case it read, so that its answer can be sent back as is.
    if (key == "facts" || key == "notes") continue;
    if (key == "case" && member.is_string()) {
      out.name = member.get<std::string>();
    } else if (key == "case") {
      out.problems.push_back(problem_at("/case", msg(Msg::JsonCaseName)));
    } else {
      out.problems.push_back(problem_at(pointer("", key), msg(Msg::JsonUnknownMember, key), msg(Msg::JsonCaseShape)));
    }
  }
  const ojson& facts = value.at("facts");
  if (!facts.is_object()) {
    out.problems.push_back(problem_at("/facts", msg(Msg::JsonCaseShape)));
    return out;
  }
  bind_facts(program, facts, "/facts", "", today, out);
  return out;
}

JsonCase read_json_case(const Program& program, std::string_view text, std::int64_t today) {
  std::vector<JsonCaseProblem> repeats;
  const std::optional<ojson> value = parse_checked(text, repeats);
  if (!value) {
    JsonCase out;
    out.problems = std::move(repeats);
    return out;
  }
  JsonCase out = bind_json_case(program, *value, today);
  out.problems.insert(out.problems.begin(), repeats.begin(), repeats.end());
  return out;
}

namespace {

// The fast way through a JSON line: taken when the line is one flat object — each member a string
// without escapes, `true`, `false`, `null` or an integer of 64 bits, each name once — that binds without
// a single diagnostic, as the lines of a batch do. A scanner reads it where it lies, each byte once
// (strings checked for UTF-8 as it goes), and stops at the first thing it does not expect: any other line
// is read again the long way above (nlohmann's parser, which validates all of JSON), whose messages are
// the ones reported. Both read each value with fill_view, so that the two ways cannot read a value
// differently; tests/cli/json_case_test.cpp and fuzz/fuzz_json_case.cpp check they agree.
// Its pieces read through local pointers: `p` the next byte, `e` the line's end (a member of a class,
// written through the string_views it hands out, would be read from memory again after each).
inline bool json_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

// Most lines have no white space around their members: one test of the byte says so.
[[gnu::always_inline]] inline void skip_space(const char*& p, const char* e) {
  while (p != e && static_cast<unsigned char>(*p) <= ' ' && json_space(*p)) ++p;
}

[[gnu::always_inline]] inline bool take(const char*& p, const char* e, char c) {
  if (p == e || *p != c) return false;
  ++p;
  return true;
}

// A string without escapes or control characters, of valid UTF-8, its opening quote read: its content.
// Its bytes are looked at sixteen at a time (SSE2, which every x86-64 has), then eight (the usual tests
// of the bytes of a word), up to the first that is not plain ASCII — a quote, a backslash, a byte below
// a space or beyond ASCII; from there, if it is not the closing quote, one character at a time.
[[gnu::always_inline]] inline bool flat_string(const char*& p, const char* e, std::string_view& out) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL, kHigh = 0x8080808080808080ULL;
  const char* const begin = p;
  const char* k = p;
  bool found = false;
#if defined(__SSE2__)
  for (; e - k >= 16; k += 16) {
    const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i*>(k));
    // Compared as signed bytes, those beyond ASCII are below the space too.
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(w, _mm_set1_epi8('"')), _mm_cmpeq_epi8(w, _mm_set1_epi8('\\'))),
                     _mm_cmplt_epi8(w, _mm_set1_epi8(' ')));
    if (const auto mask = static_cast<unsigned>(_mm_movemask_epi8(special)); mask != 0) {
      k += std::countr_zero(mask);
      found = true;
      break;
    }
  }
#endif
  for (; !found && e - k >= 8; k += 8) {
    std::uint64_t w = 0;
    std::memcpy(&w, k, 8);
    const std::uint64_t quote = w ^ (kOnes * '"'), slash = w ^ (kOnes * '\\');
    // High bit of each byte that is a quote, a backslash, below 0x20 or beyond ASCII. The lowest one
    // set is always a true one (a false one only ever comes above a true one).
    const std::uint64_t special =
        (((quote - kOnes) & ~quote) | ((slash - kOnes) & ~slash) | ((w - kOnes * 0x20) & ~w) | w) & kHigh;
    if (special != 0) {
      k += std::countr_zero(special) / 8;
      break;
    }
  }
  const std::string_view rest(begin, static_cast<std::size_t>(e - begin));
  for (;;) {
    if (k == e) return false;  // no closing quote
    const auto c = static_cast<unsigned char>(*k);
    if (c == '"') break;
    if (c == '\\' || c < 0x20) return false;
    if (c < 0x80) {
      ++k;
      continue;
    }
    const std::size_t length = utf8_char_length(rest, static_cast<std::size_t>(k - begin));
    if (length == 0) return false;
    k += length;
  }
  out = std::string_view(begin, static_cast<std::size_t>(k - begin));
  p = k + 1;
  return true;
}

[[gnu::always_inline]] inline bool flat_literal(const char*& p, const char* e, std::string_view word) {
  if (static_cast<std::size_t>(e - p) < word.size() || std::memcmp(p, word.data(), word.size()) != 0) return false;
  p += word.size();
  return true;
}

[[gnu::always_inline]] inline bool flat_value(const char*& p, const char* e, Scalar& scalar, std::string_view& text) {
  text = {};
  const char c = p == e ? '\0' : *p;
  if (c == '"') {
    scalar = Scalar::String;
    ++p;
    return flat_string(p, e, text);
  }
  if (c == 't') {
    scalar = Scalar::True;
    return flat_literal(p, e, "true");
  }
  if (c == 'f') {
    scalar = Scalar::False;
    return flat_literal(p, e, "false");
  }
  if (c == 'n') {
    scalar = Scalar::Null;
    return flat_literal(p, e, "null");
  }
  // An integer as JSON writes one (no leading zero, no `+`), of 64 bits; `-0`, fractions and exponents
  // the long way.
  const char* const begin = p;
  take(p, e, '-');
  const char* const digits = p;
  while (p != e && *p >= '0' && *p <= '9') ++p;
  const std::size_t count = static_cast<std::size_t>(p - digits);
  if (count == 0 || (count > 1 && *digits == '0') || (p != e && (*p == '.' || *p == 'e' || *p == 'E'))) return false;
  text = std::string_view(begin, static_cast<std::size_t>(p - begin));
  if (text == "-0") return false;
  std::int64_t n = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  scalar = Scalar::Number;
  return ec == std::errc() && end == text.data() + text.size();
}

// Reads a flat line, calling on(key, scalar, text) for each member in order (it returns false to stop):
// whether the line is flat and every call said to go on.
template <typename OnMember>
bool scan_flat(std::string_view line, OnMember&& on) {
  const char* p = line.data();
  const char* const e = p + line.size();
  skip_space(p, e);
  if (!take(p, e, '{')) return false;
  skip_space(p, e);
  if (!take(p, e, '}')) {
    for (;;) {
      std::string_view key, text;
      Scalar scalar = Scalar::Null;
      if (!take(p, e, '"') || !flat_string(p, e, key)) return false;
      skip_space(p, e);
      if (!take(p, e, ':')) return false;
      skip_space(p, e);
      if (!flat_value(p, e, scalar, text) || !on(key, scalar, text)) return false;
      skip_space(p, e);
      if (take(p, e, '}')) break;
      if (!take(p, e, ',')) return false;
      skip_space(p, e);
    }
  }
  // The object closed: only white space may follow it.
  skip_space(p, e);
  return p == e;
}

// The value bind_case gives a JSON scalar for a fact when it reads it without a word to say (a note or
// an error): `null` is unknown; `true` and `false` a yes/no; an integer an integer; `YYYY-MM-DD` a date;
// a member written as the rulebase writes it that member. False for any other, which the binder reads.
bool exact_value(const Program& program, std::uint32_t fact, Scalar scalar, std::string_view text, Value& v) {
  const FactInfo& f = program.facts[fact];
  switch (scalar) {
    case Scalar::Null:
      v = Value::unknown();
      return true;
    case Scalar::True:
    case Scalar::False:
      v = Value::of(scalar == Scalar::True ? 1 : 0);
      return f.type.kind == TypeKind::Bool;
    case Scalar::Number: {
      std::int64_t n = 0;
      const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
      v = Value::of(n);
      return f.type.kind == TypeKind::Integer && ec == std::errc() && end == text.data() + text.size();
    }
    case Scalar::String:
      if (f.type.kind == TypeKind::Enum) {
        const auto member = exact_member(program, f, text);
        if (member) v = Value::of(*member);
        return member.has_value();
      }
      if (f.type.kind == TypeKind::Date) {
        const auto days = parse_date(text);
        if (days) v = Value::of(*days);
        return days.has_value();
      }
      return false;
  }
  return false;
}

bool read_json_line_fast(const Program& program, std::string_view line, std::int64_t today, JsonCase& out) {
  thread_local std::vector<std::uint64_t> seen;  // per fact: given on this line
  seen.assign((program.facts.size() + 63) / 64, 0);
  // The line's members, pointing into it.
  struct Member {
    std::uint32_t fact;
    Scalar scalar;
    std::string_view text;
  };
  thread_local std::vector<Member> members;
  thread_local std::vector<CaseEntryView> views;
  thread_local const Program* shape_of = nullptr;  // the program `shape` was learnt on
  thread_local std::vector<std::uint32_t> shape;   // per place on a line: the fact named there last time
  if (shape_of != &program) {
    shape.clear();
    shape_of = &program;
  }
  members.clear();
  bool has_id = false;
  const auto member = [&](std::string_view key, Scalar scalar, std::string_view text) {
    if (key == "id") {
      // Kept as JSON text: a string, or an integer of 64 bits (as written: the scanner took no other).
      if (has_id || (scalar != Scalar::String && scalar != Scalar::Number)) return false;
      // A text of printable ASCII is written back as it came; any other the long way writes.
      if (std::any_of(text.begin(), text.end(), [](char c) { return c < ' ' || c > '~'; })) return false;
      has_id = true;
      // A string's text lies between its quotes in the line: the JSON text is the two quotes and it.
      out.id.assign(scalar == Scalar::String ? std::string_view(text.data() - 1, text.size() + 2) : text);
      return true;
    }
    // The lines of a batch mostly name the same facts in the same order: the fact at this place on the
    // previous line is tried first (one comparison), the hashed lookup otherwise. A name no fact has, or
    // one given twice: the long way says so.
    const std::size_t place = members.size();
    std::optional<std::uint32_t> fact;
    if (place < shape.size() && shape[place] < program.facts.size() &&
        same_text(program.facts[shape[place]].name, key)) {
      fact = shape[place];
    } else {
      fact = program.find_fact(key);
      if (!fact) return false;
      if (place >= shape.size()) shape.resize(place + 1, Program::kNoFact);
      shape[place] = *fact;
    }
    std::uint64_t& word = seen[*fact / 64];
    const std::uint64_t bit = std::uint64_t{1} << (*fact % 64);
    if ((word & bit) != 0) return false;
    word |= bit;
    members.push_back({*fact, scalar, text});
    return true;
  };
  if (!scan_flat(line, member)) return false;
  // Each value read as the binder reads it when it has nothing to say (exact_value): the case is bound
  // here. Any other value: the binder reads the line, and what it says of it sends the line the long way.
  BoundCase& bound = out.bound;
  const std::size_t n = program.facts.size();
  bound.reset(n);
  bool exact = true;
  for (const Member& m : members) {
    exact = exact_value(program, m.fact, m.scalar, m.text, bound.facts[m.fact]);
    if (!exact) break;
    bound.given[m.fact] = true;
  }
  if (exact) {
    for (std::uint32_t f = 0; f < n; ++f) {
      if (!bound.given[f]) bound.facts[f] = default_of(program.facts[f], today);
    }
    return true;
  }
  views.clear();
  for (const Member& m : members) {
    // Named by the program's own text, equal to the key: the binder trusts the fact by comparing addresses.
    CaseEntryView& e = views.emplace_back();
    fill_view(e, program, program.facts[m.fact].name, m.fact, m.scalar, m.text);
    const auto at = static_cast<std::uint32_t>(views.size());
    e.name_at = Location{kNoFile, at, 1};
    e.value_at = Location{kNoFile, at, 2};
  }
  Diagnostics diags;
  bind_case(program, views, today, diags, out.bound);
  return diags.all().empty();
}

}  // namespace

JsonCase read_json_line(const Program& program, std::string_view line, std::int64_t today) {
  JsonCase out;
  read_json_line(program, line, today, out);
  return out;
}

void read_json_line(const Program& program, std::string_view line, std::int64_t today, JsonCase& out, JsonScan scan) {
  out.name = "-";
  out.id.clear();
  out.entries.clear();
  out.problems.clear();
  if (scan == JsonScan::Fast && read_json_line_fast(program, line, today, out)) return;
  out.id.clear();  // the fast way may have read the id before giving up
  const std::optional<ojson> value = parse_checked(line, out.problems);
  if (!value) return;
  if (!value->is_object()) {
    out.problems.push_back(problem_at("", msg(Msg::JsonLineShape)));
    return;
  }
  if (const auto id = value->find("id"); id != value->end()) {
    if (id->is_string() || id->is_number()) {
      out.id = id->dump();
    } else {
      out.problems.push_back(problem_at("/id", msg(Msg::JsonLineId)));
    }
  }
  // After the repeated members and the id's problem: bind_facts appends the facts' own.
  bind_facts(program, *value, "", "id", today, out);
  out.entries.clear();  // as the fast way: a line's entries are not kept
}

ojson case_json(const Program& program, const BoundCase& bound, const std::vector<CaseEntry>& written) {
  ojson facts = ojson::object();
  for (const CaseEntry& e : written) {
    const std::optional<std::uint32_t> f = program.find_fact(e.name);
    if (!f || *f >= bound.facts.size()) continue;
    const Value& v = bound.facts[*f];
    const Type t = program.facts[*f].type;
    if (!v.known) {
      facts[e.name] = nullptr;
    } else if (t.kind == TypeKind::Bool) {
      facts[e.name] = v.payload != 0;
    } else if (t.kind == TypeKind::Integer) {
      facts[e.name] = v.payload;
    } else {
      facts[e.name] = bound.format(program, *f);
    }
  }
  return ojson{{"facts", facts}};
}

ojson problems_json(const std::vector<JsonCaseProblem>& problems, TextLang lang) {
  ojson errors = ojson::array();
  ojson notes = ojson::array();
  for (const JsonCaseProblem& p : problems) {
    ojson j = ojson::object();
    if (p.line > 0) {
      j["line"] = p.line;
      j["column"] = p.column;
    } else {
      j["path"] = p.path;
    }
    j["message"] = message_text(p.text, lang);
    if (p.hint.id != Msg::Count_) j["hint"] = message_text(p.hint, lang);
    (p.severity == Severity::Error ? errors : notes).push_back(j);
  }
  return ojson{{"errors", errors}, {"notes", notes}};
}

ojson diagnostic_json(const Diagnostic& d, const SourceSet& sources, TextLang lang) {
  const auto text_or_null = [](const std::string& s) { return s.empty() ? ojson(nullptr) : ojson(utf8_scrubbed(s)); };
  ojson j = ojson::object();
  j["file"] = d.where.file < sources.size() ? text_or_null(sources.name(d.where.file)) : ojson(nullptr);
  j["line"] = d.where.line > 0 ? ojson(d.where.line) : ojson(nullptr);
  j["column"] = d.where.line > 0 && d.where.column > 0 ? ojson(d.where.column) : ojson(nullptr);
  j["kind"] = d.kind() != Msg::Count_ ? ojson(std::string(message_name(d.kind()))) : ojson(nullptr);
  j["severity"] = severity_name(d.severity);
  j["message"] = utf8_scrubbed(d.message_in(lang));
  j["hint"] = text_or_null(d.hint_in(lang));
  return j;
}

ojson diagnostic_list_json(const Diagnostics& diags, const SourceSet& sources, TextLang lang) {
  ojson out = ojson::array();
  for (const Diagnostic& d : diags.sorted()) out.push_back(diagnostic_json(d, sources, lang));
  return out;
}

ojson diagnostics_json(const Diagnostics& diags, const SourceSet& sources, TextLang lang) {
  ojson errors = ojson::array();
  ojson notes = ojson::array();
  for (const Diagnostic& d : diags.sorted()) {
    ojson j = ojson::object();
    if (d.where.file < sources.size()) j["file"] = sources.name(d.where.file);
    if (d.where.line > 0) {
      j["line"] = d.where.line;
      j["column"] = d.where.column;
    }
    j["message"] = d.text.id != Msg::Count_ ? message_text(d.text, lang) : d.message;
    const std::string hint = d.hint_text.id != Msg::Count_ ? message_text(d.hint_text, lang) : d.hint;
    if (!hint.empty()) j["hint"] = hint;
    (d.severity == Severity::Error ? errors : notes).push_back(j);
  }
  return ojson{{"errors", errors}, {"notes", notes}};
}

}  // namespace secretc
