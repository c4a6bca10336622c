// The one diagnostics type of every stage that reads text (rule files, case files) or bytes (bytecode):
// `file:line:col: error|warning|note: message`, the source line, a caret, and a hint where there is one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/messages.hpp"

namespace secretc {

enum class Severity : std::uint8_t { Error, Warning, Note };

// A position in a source: 1-based line and column (column counted in characters, not bytes).
inline constexpr std::uint32_t kNoFile = 0xFFFFFFFFU;

// The longest line a rule file or a case file may hold, in bytes. Past it, the file gets a located
// error instead of being read: a line is where a column is counted, and a bound on it keeps every
// position cheap to compute.
inline constexpr std::size_t kMaxLineBytes = 10000;

struct Location {
  std::uint32_t file = kNoFile;  // index in the SourceSet (see SourceSet::add); kNoFile: no file at all
  std::uint32_t line = 0;        // 0: no position (a whole-file or bytecode message)
  std::uint32_t column = 0;
};

struct Diagnostic {
  Severity severity = Severity::Error;
  Location where;
  std::string message;  // lowercase, no final period, names in backticks: what is wrong (English)
  std::string hint;     // optional: what to do ("did you mean `x`?")
  Message text;         // the catalogue's message, when it has one: rendered in the reader's language
  Message hint_text;

  // What the diagnostic is about, for the programs that read it (tests, fuzzers, `--format json`): the
  // catalogue's id of its message, Msg::Count_ for a text not (yet) in the catalogue.
  [[nodiscard]] Msg kind() const { return text.id; }
  // The message and the hint in a language; the catalogue's when there is one, else as written.
  [[nodiscard]] std::string message_in(TextLang lang) const {
    return text.id != Msg::Count_ ? message_text(text, lang) : message;
  }
  [[nodiscard]] std::string hint_in(TextLang lang) const {
    return hint_text.id != Msg::Count_ ? message_text(hint_text, lang) : hint;
  }
};

// The texts that diagnostics point into, so that rendering can show the offending line.
class SourceSet {
 public:
  // Registers a source and returns its index; the text is copied.
  std::uint32_t add(std::string name, std::string text);
  [[nodiscard]] const std::string& name(std::uint32_t file) const { return names_.at(file); }
  [[nodiscard]] const std::string& text(std::uint32_t file) const { return texts_.at(file); }
  [[nodiscard]] std::size_t size() const { return names_.size(); }
  // The text of a 1-based line, without its line end; empty when out of range. Constant time: the
  // start of every line is indexed when the source is added.
  [[nodiscard]] std::string_view line_text(std::uint32_t file, std::uint32_t line) const;
  [[nodiscard]] std::size_t line_count(std::uint32_t file) const { return line_starts_.at(file).size(); }

 private:
  std::vector<std::string> names_;
  std::vector<std::string> texts_;
  std::vector<std::vector<std::size_t>> line_starts_;  // per file, the offset of each line's first byte
};

// Collects every diagnostic of a stage; a stage reports all it finds rather than stopping at the first.
class Diagnostics {
 public:
  void error(Location at, std::string message, std::string hint = {}) {
    add({Severity::Error, at, std::move(message), std::move(hint), {}, {}});
  }
  void warning(Location at, std::string message, std::string hint = {}) {
    add({Severity::Warning, at, std::move(message), std::move(hint), {}, {}});
  }
  void note(Location at, std::string message) { add({Severity::Note, at, std::move(message), {}, {}, {}}); }
  // From the catalogue (runtime/messages.def): rendered in French or English.
  void error(Location at, Message text, Message hint = {}) {
    add_message(Severity::Error, at, std::move(text), std::move(hint));
  }
  void warning(Location at, Message text, Message hint = {}) {
    add_message(Severity::Warning, at, std::move(text), std::move(hint));
  }
  void note(Location at, Message text) { add_message(Severity::Note, at, std::move(text), {}); }
  void add_message(Severity severity, Location at, Message text, Message hint);
  void add(Diagnostic d);

  [[nodiscard]] bool has_errors() const { return errors_ > 0; }
  [[nodiscard]] std::size_t error_count() const { return errors_; }
  [[nodiscard]] const std::vector<Diagnostic>& all() const { return list_; }
  // Diagnostics in file and position order (stable for equal positions), as a reader expects them.
  [[nodiscard]] std::vector<Diagnostic> sorted() const;
  // Too many errors drown the first ones; past the limit, further errors are counted, not kept.
  static constexpr std::size_t kMaxKept = 200;

 private:
  std::vector<Diagnostic> list_;
  std::size_t errors_ = 0;
  std::size_t dropped_ = 0;

 public:
  [[nodiscard]] std::size_t dropped() const { return dropped_; }
};

// The words before a message: `error`, `warning`, `note` and `hint`, in the language of the message, or
// the severities kept in English (`error:`, `warning:`, `note:`, what editors' problem matchers and
// scripts look for) and only `hint` (`conseil`) translated.
enum class SeverityWords : std::uint8_t { OfTheLanguage, English };
struct RenderStyle {
  TextLang lang = TextLang::English;
  SeverityWords severity = SeverityWords::OfTheLanguage;
};
// The style of render_diagnostic and render_all when they are given no language: English, until a
// program sets another. The command line sets the style of rule files' diagnostics from `--lang`:
// French by default, the severity words in English (cli/main.cpp; README, "The language of diagnostics").
void set_default_render_style(RenderStyle style);
RenderStyle default_render_style();

// Renders in the clang layout: `file:line:col: error: message`, then the line and a caret, then the hint;
// `file:line: error: message` for a diagnostic about a whole line (column 0), `file: error: message` for
// one about a whole file. Messages from the catalogue are rendered in `lang`; the others as written.
std::string render_diagnostic(const Diagnostic& d, const SourceSet& sources, TextLang lang,
                              SeverityWords words = SeverityWords::OfTheLanguage);
std::string render_all(const Diagnostics& diags, const SourceSet& sources, TextLang lang,
                       SeverityWords words = SeverityWords::OfTheLanguage);
// In the default style (set_default_render_style).
std::string render_diagnostic(const Diagnostic& d, const SourceSet& sources);
std::string render_all(const Diagnostics& diags, const SourceSet& sources);
// A diagnostic about no line, rendered like any other: `file: error: message`, `secretc: error: message`
// when it is about no file either (a usage error, standard input, a damaged embedded rulebase).
std::string render_unlocated(const Message& text, TextLang lang = TextLang::English, const std::string& file = {},
                             Severity severity = Severity::Error);
// "error", "warning" or "note", as `--format json` spells a severity.
const char* severity_name(Severity s);

// Edit distance for `did you mean` suggestions.
std::size_t edit_distance(std::string_view a, std::string_view b);
// The closest candidate within a distance that scales with the name's length, or empty.
std::string closest_name(std::string_view name, const std::vector<std::string>& candidates);

}  // namespace secretc
