#include "cli/ask_command.hpp"

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <variant>

#include <unistd.h>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "cli/commands.hpp"
#include "cli/inputs.hpp"
#include "cli/report.hpp"
#include "compiler/compile.hpp"
#include "compiler/parse_case.hpp"
#include "runtime/bytecode.hpp"
#include "runtime/case.hpp"
#include "runtime/explain.hpp"
#include "runtime/messages.hpp"
#include "runtime/vm.hpp"

namespace secretc {

namespace fs = std::filesystem;

namespace {

std::string trim(std::string_view s) {
  const auto first = s.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) return {};
  const auto last = s.find_last_not_of(" \t\r\n");
  return std::string(s.substr(first, last - first + 1));
}

// What a line says besides an answer.
enum class Command : std::uint8_t { None, DontKnow, Back, Help, Why, End };

// The words of the commands, French and English alike, compared folded (capitals and accents aside)
// and without the punctuation around them: « Pourquoi ? », "je ne sais pas.", "Back".
Command command_of(std::string_view line, bool zero_is_dont_know) {
  if (line == "?" || (zero_is_dont_know && line == "0")) return Command::DontKnow;
  std::string folded = fold_word(line);
  if (folded == "?help" || folded == "?aide") return Command::Help;
  if (folded == "?why" || folded == "?pourquoi") return Command::Why;
  // Punctuation and quotes around the words: « pourquoi ? », "retour", je ne sais pas.
  static constexpr std::string_view kAround[] = {"«", "»", "“", "”", "\"", "?", "!", ".", "_", "<", ">"};
  for (bool changed = true; changed && !folded.empty();) {
    changed = false;
    for (const std::string_view p : kAround) {
      if (folded.starts_with(p)) {
        folded.erase(0, p.size());
        changed = true;
      }
      if (folded.ends_with(p)) {
        folded.erase(folded.size() - p.size());
        changed = true;
      }
    }
  }
  static constexpr std::string_view kDontKnow[] = {
      "je_ne_sais_pas", "je_sais_pas", "ne_sais_pas", "sais_pas",  "jsp", "inconnu", "aucune_idee",
      "i_don_t_know",   "i_dont_know", "don_t_know",  "dont_know", "idk", "unknown", "not_known"};
  static constexpr std::string_view kBack[] = {"retour", "revenir", "precedent", "back", "previous"};
  static constexpr std::string_view kHelp[] = {"aide", "help"};
  static constexpr std::string_view kWhy[] = {
      "pourquoi",           "pourquoi_me_demandez_vous_cela", "pourquoi_cette_question", "why", "why_do_you_ask",
      "why_do_you_ask_this"};
  static constexpr std::string_view kEnd[] = {"fin", "terminer", "quitter", "end", "quit", "stop"};
  const auto in = [&](const auto& words) {
    return std::find(std::begin(words), std::end(words), folded) != std::end(words);
  };
  if (folded.empty()) return line.empty() ? Command::None : Command::DontKnow;  // `??`, `« ? »`
  if (in(kDontKnow)) return Command::DontKnow;
  if (in(kBack)) return Command::Back;
  if (in(kHelp)) return Command::Help;
  if (in(kWhy)) return Command::Why;
  if (in(kEnd)) return Command::End;
  return Command::None;
}

bool all_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

// A date as a Belgian reader often writes it, DD/MM/YYYY (also with `.` or `-`), as YYYY-MM-DD; any
// other text as it is (the binder then says what is wrong with it).
std::string iso_date(const std::string& text) {
  for (const char sep : {'/', '.', '-'}) {
    const std::size_t first = text.find(sep);
    const std::size_t second = first == std::string::npos ? first : text.find(sep, first + 1);
    if (second == std::string::npos || text.find(sep, second + 1) != std::string::npos) continue;
    const std::string day = text.substr(0, first), month = text.substr(first + 1, second - first - 1);
    const std::string year = text.substr(second + 1);
    if (day.empty() || day.size() > 2 || month.empty() || month.size() > 2 || year.size() != 4) continue;
    if (!all_digits(day) || !all_digits(month) || !all_digits(year)) continue;
    return fmt::format("{}-{:0>2}-{:0>2}", year, month, day);
  }
  return text;
}

bool is_integer_text(std::string_view s) {
  if (!s.empty() && (s.front() == '+' || s.front() == '-')) s.remove_prefix(1);
  return all_digits(s);
}

// One step of the interview, so that « retour » can undo it.
struct Step {
  std::uint32_t fact = 0;
  Value before;
  bool given_before = false;
  std::size_t extra_strings_before = 0;
};

class Interview {
 public:
  Interview(const Program& program, BoundCase bound, const AskOptions& options, TextLang lang, std::int64_t today,
            Conversation& io)
      : program_(program),
        machine_(program),
        bound_(std::move(bound)),
        options_(options),
        today_(today),
        io_(io),
        lang_(lang) {}

  int run(std::size_t facts_given) {
    say(fmt::format("{}\n{}\n", fmt::format("secretc ask — {} ({})", program_.name, program_.version),
                    w(Msg::AskHowTo)));
    if (!options_.case_path.empty()) {
      say(fmt::format(fmt::runtime(w(Msg::AskStartedFrom)), options_.case_path, facts_given) + "\n");
    }
    bool eof = false;
    bool show_status = !options_.case_path.empty();
    for (;;) {
      evaluate();
      if (show_status) say(status_line() + "\n");
      show_status = true;
      if (!result_.conflicts.empty()) break;  // nothing to ask can mend it: the report says which rules
      if (settled_) {
        say(fmt::format("\n{}\n", w(Msg::AskAllSettled)));
        break;
      }
      if (questions_.empty()) {
        say(fmt::format("\n{}\n", w(Msg::AskNoQuestionLeft)));
        break;
      }
      const Outcome outcome = ask(questions_.front());
      if (outcome == Outcome::EndOfInput) {
        say(fmt::format("\n{}\n", w(Msg::AskEndOfInput)));
        eof = true;
        break;
      }
      if (outcome == Outcome::Stop) {
        say(fmt::format("\n{}\n", w(Msg::AskStopped)));
        break;
      }
    }
    const std::string path = !options_.output.empty()      ? options_.output
                             : !options_.case_path.empty() ? options_.case_path
                                                           : w(Msg::AskInterview);
    // The same report as `secretc check` gives on the saved case, « pourquoi pas ? » included.
    const std::vector<NearMiss> misses = near_misses(machine_, bound_.facts, &bound_.given, result_);
    const CaseReport report{path, &program_, &bound_, &result_, &dependences_, &misses};
    say("\n" + render_text(report, lang_));
    for (const Conflict& c : result_.conflicts) {
      io_.complain(render_unlocated(msg(Msg::CaseConflict, program_.rules[c.first].name, program_.rules[c.second].name,
                                        program_.outputs[c.output].name),
                                    TextLang::English, path));
    }
    const bool saved_well = save(eof);
    return result_.conflicts.empty() && saved_well ? 0 : 1;
  }

 private:
  enum class Outcome : std::uint8_t { Answered, Back, Stop, EndOfInput };

  void say(std::string_view text) const { io_.say(text); }

  // The next line typed after a prompt, shown again when the input does not show itself.
  [[nodiscard]] std::optional<std::string> read_line() const {
    std::optional<std::string> line = io_.read_line();
    if (!line || io_.echo) say(line ? *line + "\n" : "\n");  // at the end of input, the prompt's line is closed
    return line;
  }

  // The answer as the case stands, its conditional answers, and the questions still worth asking:
  // the open ones, the most decisive first, except those answered « je ne sais pas ».
  void evaluate() {
    result_ = machine_.evaluate(bound_.facts, &bound_.given);
    settled_ =
        std::all_of(result_.outputs.begin(), result_.outputs.end(), [](const OutputValue& v) { return v.settled; });
    dependences_ =
        settled_ ? std::vector<Dependence>{} : conditional_answers(machine_, bound_.facts, &bound_.given, result_);
    questions_.clear();
    for (const OpenQuestion& q : open_questions(program_, result_, dependences_)) {
      if (!bound_.given[q.fact]) questions_.push_back(q.fact);  // given and unknown: « je ne sais pas »
    }
  }

  [[nodiscard]] std::optional<std::uint32_t> headline_output() const {
    if (const auto v = program_.find_output("verdict")) return v;
    for (std::uint32_t o = 0; o < program_.outputs.size(); ++o) {
      if (program_.outputs[o].kind == OutputKind::Scalar) return o;
    }
    return std::nullopt;
  }

  [[nodiscard]] std::string output_words(std::uint32_t o, const OutputValue& v) const {
    return program_.member_label(program_.outputs[o].enum_id, static_cast<std::uint32_t>(v.value.payload), lang_);
  }

  // Where the answer stands, in one line: the verdict, settled or not, and what to do meanwhile.
  [[nodiscard]] std::string status_line() const {
    if (!result_.conflicts.empty()) return w(Msg::AskConflict);
    const std::optional<std::uint32_t> head = headline_output();
    std::vector<std::string> open;
    for (std::uint32_t o = 0; o < program_.outputs.size(); ++o) {
      if (!result_.outputs[o].settled && o != head) open.push_back(program_.outputs[o].name);
    }
    if (!head) return settled_ ? fmt::format(fmt::runtime(w(Msg::AskSettled)), "—") : w(Msg::AskUnsettled);
    const OutputInfo& info = program_.outputs[*head];
    const OutputValue& v = result_.outputs[*head];
    if (v.settled) {
      std::string line = fmt::format(fmt::runtime(w(Msg::AskSettled)), v.value.known ? output_words(*head, v) : "—");
      if (!open.empty()) line += fmt::format(fmt::runtime(w(Msg::AskStillToSettle)), fmt::join(open, ", "));
      return line;
    }
    if (!v.value.known) return w(Msg::AskNoValue);
    const bool in_doubt = !info.doubt.empty() && static_cast<std::uint32_t>(v.value.payload) == info.doubt[0];
    return fmt::format(fmt::runtime(in_doubt ? w(Msg::AskInDoubt) : w(Msg::AskInEveryCase)), output_words(*head, v));
  }

  [[nodiscard]] std::string value_words(std::uint32_t fact, std::int64_t value) const {
    const Type t = program_.facts[fact].type;
    if (t.kind == TypeKind::Bool) return value != 0 ? w(Msg::AskYes) : w(Msg::AskNo);
    if (t.kind == TypeKind::Enum) return program_.member_label(t.enum_id, static_cast<std::uint32_t>(value), lang_);
    return program_.format_value(t, Value::of(value));
  }

  [[nodiscard]] std::string question_text(std::uint32_t fact) const {
    const std::string& q = program_.question_of(fact, lang_);
    return q.empty() ? program_.facts[fact].name : q;
  }

  // The question, its theme, and the answers it takes.
  void show_question(std::uint32_t fact) const {
    const FactInfo& f = program_.facts[fact];
    // "Question" is the same word in French and in English.
    std::string head = fmt::format("Question {}", history_.size() + 1);
    if (const auto theme = program_.theme_of(fact)) head += " · " + program_.theme_label(*theme, lang_);
    std::string out =
        fmt::format("\n{}  [{} · {}]\n", head, f.name,
                    questions_.size() == 1 ? std::string(w(Msg::AskOneOpen))
                                           : fmt::format(fmt::runtime(w(Msg::AskOpenCount)), questions_.size()));
    out += wrap(question_text(fact), 0);
    if (f.type.kind == TypeKind::Bool) {
      out += fmt::format("   1  {}\n   2  {}\n   0  {}\n", w(Msg::AskYes), w(Msg::AskNo), w(Msg::AskDontKnow));
    } else if (f.type.kind == TypeKind::Enum) {
      const EnumInfo& e = program_.enums[f.type.enum_id];
      const int width = e.members.size() >= 100 ? 3 : 2;
      for (std::uint32_t m = 0; m < e.members.size(); ++m) {
        out += fmt::format("  {:>{}}  {}\n", m + 1, width, program_.member_label(f.type.enum_id, m, lang_));
      }
      out += fmt::format("  {:>{}}  {}\n", 0, width, w(Msg::AskDontKnow));
    } else {
      const char* hint = f.type.kind == TypeKind::Date      ? w(Msg::AskDateHint)
                         : f.type.kind == TypeKind::Integer ? w(Msg::AskIntegerHint)
                         : f.type.kind == TypeKind::Article ? w(Msg::AskArticleHint)
                                                            : w(Msg::AskTextHint);
      out += fmt::format("   ({})\n", hint);
    }
    out += fmt::format("   ({})\n", w(Msg::AskCommands));
    say(out);
  }

  void show_help(std::uint32_t fact) const {
    const std::string& help = program_.help_of(fact, lang_);
    say(wrap(help.empty() ? w(Msg::AskNoHelp) : help, 3));
  }

  // « Pourquoi me demandez-vous cela ? »: the rules whose condition or provisos read the fact and that
  // may still apply, then what each answer would give (the conditional answers already computed).
  void show_why(std::uint32_t fact) const {
    std::string out = fmt::format("   {}\n", w(Msg::AskWhyHead));
    std::vector<std::uint32_t> rules, decided;
    for (std::uint32_t r = 0; r < program_.rules.size(); ++r) {
      const RuleInfo& rule = program_.rules[r];
      if (rule.kind == RuleKind::Warning) continue;
      bool reads = std::find(rule.facts_read.begin(), rule.facts_read.end(), fact) != rule.facts_read.end();
      for (const ProvisoInfo& p : rule.provisos) {
        reads = reads || std::find(p.facts_read.begin(), p.facts_read.end(), fact) != p.facts_read.end();
      }
      if (!reads) continue;
      (result_.applies[r] == Truth::Unknown || result_.conditions[r] == Truth::Unknown ? rules : decided).push_back(r);
    }
    if (rules.empty()) rules = decided;  // it matters by setting aside a rule, or by the provisos it carries
    for (const std::uint32_t r : rules) {
      const RuleInfo& rule = program_.rules[r];
      const std::string title = program_.rule_title(r, lang_);
      out += wrap(rule.cite.empty() ? title : fmt::format("{} — {}", title, rule.cite), 5).replace(0, 5, "   - ");
    }
    const auto d =
        std::find_if(dependences_.begin(), dependences_.end(), [&](const Dependence& x) { return x.fact == fact; });
    if (d == dependences_.end()) {
      out += wrap(w(Msg::AskWhyOnlyTogether), 3);
      say(out);
      return;
    }
    out += fmt::format("   {}\n", w(Msg::AskDepending));
    for (const Branch& b : d->branches) {
      std::vector<std::string> values;
      for (const std::int64_t v : b.values) values.push_back(value_words(fact, v));
      std::vector<std::string> answer;
      const std::optional<std::uint32_t> head = headline_output();
      for (std::uint32_t o = 0; o < program_.outputs.size(); ++o) {
        if (d->changes[o] == 0) continue;
        const OutputInfo& info = program_.outputs[o];
        const OutputValue& v = b.outputs[o];
        std::string words;
        if (info.kind == OutputKind::Scalar) {
          words = v.value.known && !v.conflict ? output_words(o, v) : "—";
          if (!v.settled) words += fmt::format(" ({})", w(Msg::AskStillOpen));
          if (o != head) words = fmt::format("{} : {}", info.name, words);
        } else {
          // A set: what it then holds beyond what it holds now, for sure or maybe.
          const auto now = static_cast<std::uint64_t>(result_.outputs[o].value.payload);
          const auto sure = static_cast<std::uint64_t>(v.value.payload) & ~now;
          const std::uint64_t maybe = v.possible & ~now & ~sure;
          const auto labels = [&](std::uint64_t mask) {
            std::vector<std::string> names;
            for (std::uint32_t m = 0; m < 64; ++m) {
              if (((mask >> m) & 1U) != 0)
                names.push_back(fmt::format("« {} »", program_.member_label(info.enum_id, m, lang_)));
            }
            return fmt::format("{}", fmt::join(names, " "));
          };
          std::vector<std::string> parts;
          if (sure != 0) parts.push_back(fmt::format("{} {}", w(Msg::AskAdds), labels(sure)));
          if (maybe != 0) parts.push_back(fmt::format("{} {}", w(Msg::AskMayAdd), labels(maybe)));
          if (parts.empty()) parts.emplace_back(w(Msg::AskAddsNothing));
          words = fmt::format("{} : {}", info.name, fmt::join(parts, ", "));
        }
        if (o == head) {
          answer.insert(answer.begin(), words);
        } else {
          answer.push_back(words);
        }
      }
      if (answer.empty()) answer.emplace_back(w(Msg::AskStillOpen));
      out += wrap(fmt::format("{} {} : {}", w(Msg::AskIf), fmt::join(values, fmt::format(" {} ", w(Msg::AskOr))),
                              fmt::join(answer, " ; ")),
                  5);
    }
    say(out);
  }

  // Diagnostics of an answer read as a case-file line would be, in the reader's language.
  void show_diagnostics(const Diagnostics& diags) const {
    std::string out;
    for (const Diagnostic& d : diags.sorted()) {
      const std::string text = d.text.id != Msg::Count_ ? message_text(d.text, lang_) : d.message;
      const std::string hint = d.hint_text.id != Msg::Count_ ? message_text(d.hint_text, lang_) : d.hint;
      if (d.severity == Severity::Note) {
        out += fmt::format("   ({})\n", text);
        continue;
      }
      out += fmt::format("   ! {}\n", text);
      if (!hint.empty()) out += fmt::format("     {}\n", hint);
    }
    say(out);
  }

  // Reads an answer for `fact` as the case binder reads a case file's value — the same types, the same
  // forgiving rule for members and booleans, the same messages — or says why it cannot be one.
  std::optional<Value> read_value(std::uint32_t fact, const std::string& line) {
    const FactInfo& f = program_.facts[fact];
    CaseEntry e;
    e.name = f.name;
    e.text = line;
    switch (f.type.kind) {
      case TypeKind::Bool: {
        const std::string folded = fold_word(line);
        if (line == "1" || folded == "yes" || folded == "y" || folded == "o") e.text = "oui";
        if (line == "2" || folded == "no" || folded == "n") e.text = "non";
        break;
      }
      case TypeKind::Enum: {
        const EnumInfo& en = program_.enums[f.type.enum_id];
        if (is_integer_text(line)) {
          const long n = std::strtol(line.c_str(), nullptr, 10);
          if (n < 1 || static_cast<std::size_t>(n) > en.members.size()) {
            say(fmt::format("   ! {}\n", fmt::format(fmt::runtime(w(Msg::AskNumberRange)), en.members.size())));
            return std::nullopt;
          }
          return Value::of(n - 1);
        }
        // A member's label, when it is the only one written so: « Assistant social ».
        std::optional<std::uint32_t> by_label;
        bool several = false;
        for (std::uint32_t m = 0; m < en.members.size(); ++m) {
          if (fold_word(program_.member_label(f.type.enum_id, m, lang_)) == fold_word(line)) {
            several = several || by_label.has_value();
            by_label = m;
          }
        }
        if (by_label && !several && fold_word(line) != fold_word(en.members[*by_label])) {
          e.text = en.members[*by_label];
        }
        break;
      }
      case TypeKind::Date:
        e.text = iso_date(line);
        break;
      case TypeKind::Integer:
        break;
      case TypeKind::Article:
      case TypeKind::String:
        if (e.text.size() >= 2 && e.text.front() == '"' && e.text.back() == '"')
          e.text = e.text.substr(1, e.text.size() - 2);
        break;
      case TypeKind::Set:
        break;
    }
    const bool date_shaped =
        e.text.size() == 10 && e.text[4] == '-' && e.text[7] == '-' && is_integer_text(e.text.substr(0, 4));
    e.kind = f.type.kind == TypeKind::Date && date_shaped                          ? CaseValueKind::Date
             : f.type.kind == TypeKind::Integer && is_integer_text(e.text)         ? CaseValueKind::Integer
             : f.type.kind == TypeKind::Article || f.type.kind == TypeKind::String ? CaseValueKind::String
                                                                                   : CaseValueKind::Word;
    Diagnostics diags;
    std::vector<CaseEntry> entries{e};
    if (f.type.kind == TypeKind::String) {
      // A text goes through the case-file grammar, so that what is saved reads back: UTF-8, no NUL.
      std::string quoted = "\"";
      for (const char c : e.text) {
        if (c == '"' || c == '\\') quoted += '\\';
        quoted += c;
      }
      SourceSet sources;
      const std::uint32_t file = sources.add("<answer>", fmt::format("{} = {}\"\n", f.name, quoted));
      entries = parse_case(sources, file, diags);
      if (diags.has_errors()) {
        show_diagnostics(diags);
        return std::nullopt;
      }
    }
    BoundCase one = bind_case(program_, entries, today_, diags);
    show_diagnostics(diags);
    if (diags.has_errors()) {
      if (f.type.kind == TypeKind::Date) say(fmt::format("     ({})\n", w(Msg::AskDateHint)));
      return std::nullopt;
    }
    Value v = one.facts[fact];
    if (f.type.kind == TypeKind::String && v.known && static_cast<std::size_t>(v.payload) >= program_.strings.size()) {
      // A text that is no string of the rulebase: kept among the case's own, under one id per text.
      const std::string& text = one.extra_strings[static_cast<std::size_t>(v.payload) - program_.strings.size()];
      auto found = std::find(bound_.extra_strings.begin(), bound_.extra_strings.end(), text);
      if (found == bound_.extra_strings.end()) found = bound_.extra_strings.insert(bound_.extra_strings.end(), text);
      v = Value::of(static_cast<std::int64_t>(program_.strings.size() +
                                              static_cast<std::size_t>(found - bound_.extra_strings.begin())));
    }
    return v;
  }

  void record(std::uint32_t fact, Value v, std::size_t extra_strings_before) {
    history_.push_back(Step{fact, bound_.facts[fact], bound_.given[fact], extra_strings_before});
    bound_.facts[fact] = v;
    bound_.given[fact] = true;
  }

  Outcome ask(std::uint32_t fact) {
    show_question(fact);
    const Type t = program_.facts[fact].type;
    for (;;) {
      say("> ");
      const std::optional<std::string> read = read_line();
      if (!read) return Outcome::EndOfInput;
      const std::string line = trim(*read);
      if (line.empty()) {
        say(fmt::format("   {}\n", w(Msg::AskEmptyAnswer)));
        continue;
      }
      if (line.size() > kMaxLineBytes) {  // a case file could not hold it on one line either
        say(fmt::format("   ! {}\n", fmt::format(fmt::runtime(w(Msg::AskTooLong)), kMaxLineBytes)));
        continue;
      }
      // A member written exactly is an answer, even if it reads like a command.
      bool member = false;
      if (t.kind == TypeKind::Enum) {
        const auto& members = program_.enums[t.enum_id].members;
        member = std::find(members.begin(), members.end(), line) != members.end();
      }
      switch (member ? Command::None : command_of(line, t.kind != TypeKind::Integer)) {
        case Command::DontKnow:
          record(fact, Value::unknown(), bound_.extra_strings.size());
          return Outcome::Answered;
        case Command::Help:
          show_help(fact);
          continue;
        case Command::Why:
          show_why(fact);
          continue;
        case Command::End:
          return Outcome::Stop;
        case Command::Back:
          if (history_.empty()) {
            say(fmt::format("   {}\n", w(Msg::AskNothingBefore)));
            continue;
          }
          undo();
          return Outcome::Back;
        case Command::None:
          break;
      }
      const std::size_t extra_before = bound_.extra_strings.size();
      const std::optional<Value> v = read_value(fact, line);
      if (!v) continue;
      record(fact, *v, extra_before);
      return Outcome::Answered;
    }
  }

  void undo() {
    const Step step = history_.back();
    history_.pop_back();
    bound_.facts[step.fact] = step.before;
    bound_.given[step.fact] = step.given_before;
    bound_.extra_strings.resize(step.extra_strings_before);
    say(fmt::format("   {}\n", fmt::format(fmt::runtime(w(Msg::AskBack)), question_text(step.fact))));
  }

  // A fact's value as a case file writes it.
  [[nodiscard]] std::string case_value(std::uint32_t fact) const {
    const Value& v = bound_.facts[fact];
    if (!v.known) return "?";
    const Type t = program_.facts[fact].type;
    switch (t.kind) {
      case TypeKind::Bool:
        return lang_ == TextLang::English ? (v.payload != 0 ? "true" : "false") : (v.payload != 0 ? "oui" : "non");
      case TypeKind::Article:
        return fmt::format("\"{}\"", format_article(v.payload));
      case TypeKind::String: {
        std::string out = "\"";
        for (const char c : bound_.format(program_, fact)) {
          if (c == '"' || c == '\\') out += '\\';
          out += c;
        }
        return out + "\"";
      }
      default:
        return bound_.format(program_, fact);
    }
  }

  // The case file of the interview: every fact given (in the starting file or answered), unknowns
  // as `?`, and the day taken for today written out, so that `check` gives the same answer later.
  [[nodiscard]] std::string case_file_text() const {
    std::string out = fmt::format(fmt::runtime(w(Msg::AskHeaderComment)), program_.name, program_.version) + "\n";
    for (std::uint32_t f = 0; f < program_.facts.size(); ++f) {
      const bool today = writes_today(f);
      if (!bound_.given[f] && !today) continue;
      std::string line = fmt::format("{} = {}", program_.facts[f].name, case_value(f));
      if (today) line += fmt::format("  # {}", w(Msg::AskDateComment));
      if (bound_.given[f] && !bound_.facts[f].known) line += fmt::format("  # {}", w(Msg::AskDontKnowComment));
      out += line + "\n";
    }
    return out;
  }

  // The day of the situation, when it is today's by default: written out in the saved case.
  [[nodiscard]] bool writes_today(std::uint32_t f) const {
    return program_.date_fact == f && !bound_.given[f] && program_.facts[f].default_kind == DefaultKind::Today;
  }

  // The saved text, read back as `check` reads it, gives every fact the value the interview holds.
  [[nodiscard]] bool reads_back(const std::string& text) const {
    SourceSet sources;
    Diagnostics diags;
    const std::uint32_t file = sources.add("<saved>", text);
    const std::vector<CaseEntry> entries = parse_case(sources, file, diags);
    if (diags.has_errors()) return false;
    const BoundCase again = bind_case(program_, entries, today_, diags);
    if (diags.has_errors()) return false;
    for (std::uint32_t f = 0; f < program_.facts.size(); ++f) {
      if (again.given[f] != (bound_.given[f] || writes_today(f)) || again.facts[f].known != bound_.facts[f].known ||
          again.format(program_, f) != bound_.format(program_, f)) {
        return false;
      }
    }
    return true;
  }

  bool write(const std::string& path) {
    const std::string text = case_file_text();
    if (!reads_back(text)) {
      io_.complain(fmt::format("secretc: error: {}\n", w(Msg::AskSaveMismatch)));
      return false;
    }
    if (const std::string error = write_file_atomically(path, text); !error.empty()) {
      io_.complain(fmt::format("secretc: error: {}\n", error));
      return false;
    }
    std::string command = "secretc check";
    for (const std::string& r : options_.rules) command += " --rules " + r;
    if (lang_ != program_.written_in()) command += lang_ == TextLang::English ? " --lang en" : " --lang fr";
    say("\n" + fmt::format(fmt::runtime(w(Msg::AskSaved)), path, command + " " + path) + "\n");
    return true;
  }

  // With -o, saves there; otherwise asks for a file name (nothing at the end of input).
  bool save(bool eof) {
    if (!options_.output.empty()) return write(options_.output);
    if (eof) {
      say(fmt::format("{}\n", w(Msg::AskNotSavedAtEnd)));
      return true;
    }
    const char* prompt = w(Msg::AskSavePrompt);
    for (;;) {
      say(fmt::format("\n{}\n> ", prompt));
      const std::optional<std::string> read = read_line();
      const std::string path = read ? trim(*read) : std::string();
      const std::string folded = fold_word(path);
      if (path.empty() || folded == "non" || folded == "no" || folded == "n" || folded == "2") {
        say(fmt::format("{}\n", w(Msg::AskNotSaved)));
        return true;
      }
      if (is_yes(folded)) {  // « oui »: the name comes next
        prompt = w(Msg::AskFileNamePrompt);
        continue;
      }
      std::error_code ec;
      if (fs::exists(path, ec)) {
        say(fmt::format(fmt::runtime(w(Msg::AskReplacePrompt)), path) + "\n> ");
        const std::optional<std::string> yes = read_line();
        if (!yes) {
          say(fmt::format("{}\n", w(Msg::AskNotSaved)));
          return true;
        }
        if (!is_yes(fold_word(trim(*yes)))) {
          prompt = w(Msg::AskFileNamePrompt);
          continue;
        }
      }
      return write(path);
    }
  }

  static bool is_yes(const std::string& folded) {
    return folded == "1" || folded == "oui" || folded == "o" || folded == "yes" || folded == "y";
  }

  // The interview's own sentences, from the catalogue (runtime/messages.def), in the reader's language.
  const char* w(Msg id) const { return message_template(id, lang_); }

  const Program& program_;
  Machine machine_;
  BoundCase bound_;
  const AskOptions& options_;
  std::int64_t today_;
  Conversation& io_;
  TextLang lang_;
  Result result_;
  bool settled_ = false;
  std::vector<Dependence> dependences_;
  std::vector<std::uint32_t> questions_;
  std::vector<Step> history_;
};

}  // namespace

int run_ask(const AskOptions& options, std::string_view embedded, Conversation& io) {
  std::string errors;
  const std::optional<Program> program = load_rules(options.rules, embedded, errors);
  io.complain(errors);
  if (!program) return 1;
  // The rulebase's own language unless the reader chose one, as `check` does.
  const TextLang lang = options.lang == "en"   ? TextLang::English
                        : options.lang == "fr" ? TextLang::French
                                               : program->written_in();
  const std::int64_t today = today_days();

  // The starting case, read and bound as `check` reads it: with any error, no interview.
  SourceSet sources;
  Diagnostics diags;
  std::vector<CaseEntry> entries;
  if (!options.case_path.empty()) {
    std::string text;
    Message error;
    if (!read_file(options.case_path, text, kMaxCaseFileBytes, error)) {
      io.complain(
          fmt::format("secretc: {}: {}\n", lang == TextLang::French ? "erreur" : "error", message_text(error, lang)));
      return 1;
    }
    const std::uint32_t file = sources.add(options.case_path, std::move(text));
    entries = parse_case(sources, file, diags);
  }
  BoundCase bound = diags.has_errors() ? BoundCase{} : bind_case(*program, entries, today, diags);
  io.complain(render_all(diags, sources, lang));
  if (diags.has_errors()) return 1;
  Interview interview(*program, std::move(bound), options, lang, today, io);
  return interview.run(entries.size());
}

int run_ask_on_standard_streams(const AskOptions& options, std::string_view embedded) {
  Conversation io{[]() -> std::optional<std::string> {
                    std::string line;
                    int c = 0;
                    // Past the longest answer taken, the rest of the line is dropped: it is refused anyway.
                    while ((c = std::fgetc(stdin)) != EOF && c != '\n') {
                      if (line.size() <= kMaxLineBytes) line += static_cast<char>(c);
                    }
                    if (c == EOF && line.empty()) return std::nullopt;  // a last line without its end still counts
                    if (!line.empty() && line.back() == '\r') line.pop_back();
                    return line;
                  },
                  [](std::string_view text) {
                    std::fwrite(text.data(), 1, text.size(), stdout);
                    std::fflush(stdout);
                  },
                  [](std::string_view text) {
                    std::fwrite(text.data(), 1, text.size(), stderr);
                    std::fflush(stderr);
                  },
                  ::isatty(STDIN_FILENO) == 0};
  return run_ask(options, embedded, io);
}

}  // namespace secretc
