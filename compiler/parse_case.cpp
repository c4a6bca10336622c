#include "compiler/parse_case.hpp"

#include <algorithm>
#include <exception>
#include <string>
#include <string_view>

#include <fmt/format.h>
#include <tao/pegtl.hpp>

#include "grammar/case_errors.hpp"
#include "grammar/case_grammar.hpp"
#include "runtime/messages.hpp"
#include "runtime/utf8.hpp"

namespace secretc {
namespace {

namespace pegtl = tao::pegtl;
namespace cf = grammar::case_file;

// --- text ------------------------------------------------------------------------------------------

constexpr std::string_view kBom = "\xEF\xBB\xBF";
constexpr std::size_t kTokenShown = 32;  // characters of a token quoted in a message
// Syntax errors reported before the rest of a file is skipped: one less than Diagnostics keeps, so that
// the note saying so is kept too.
constexpr std::size_t kErrorLimit = Diagnostics::kMaxKept - 1;

// 1-based column, in characters, of the byte at `offset` of a line.
std::uint32_t column_of(std::string_view line, std::size_t offset) {
  std::uint32_t column = 1;
  for (std::size_t i = 0; i < offset && i < line.size(); ++i) {
    if (!is_utf8_continuation(line[i])) ++column;
  }
  return column;
}

// Offset of the first byte that makes `text` invalid UTF-8 (or is NUL), or npos.
// Strict: no overlong forms, no surrogates, nothing above U+10FFFF.
std::size_t first_bad_byte(std::string_view text) {
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = text[i] == '\0' ? 0 : utf8_char_length(text, i);
    if (n == 0) return i;
    i += n;
  }
  return std::string_view::npos;
}

// The text at `offset` up to the next blank or the line end, shortened for a message.
std::string token_at(std::string_view line, std::size_t offset) {
  std::size_t end = offset;
  std::size_t chars = 0;
  while (end < line.size() && line[end] != ' ' && line[end] != '\t' && line[end] != '\r' && line[end] != '\n') {
    if (!is_utf8_continuation(line[end]) && ++chars > kTokenShown) break;
    ++end;
  }
  if (end == offset && offset < line.size() && line[offset] == '\r') return "\\r";  // a lone CR
  std::string out(line.substr(offset, end - offset));
  if (chars > kTokenShown) out += "…";
  return out;
}

// The escape sequence at `offset`: the backslash and the character after it, if any.
std::string escape_at(std::string_view line, std::size_t offset) {
  std::size_t end = offset + 1;
  if (end < line.size() && line[end] != '\r' && line[end] != '\n') {
    ++end;
    while (end < line.size() && is_utf8_continuation(line[end])) ++end;
  }
  return std::string(line.substr(offset, end - offset));
}

// Fills the placeholders of grammar/case_errors.hpp.
// The catalogue message a grammar rule raised, with its three arguments (grammar/case_errors.hpp).
Message grammar_message(std::string_view id, std::string_view name, std::string_view line, std::size_t offset) {
  const std::optional<Msg> m = message_named(id);
  return Message{m.value_or(Msg::CaseContent),
                 {std::string(name), std::string(token_at(line, offset)), std::string(escape_at(line, offset))}};
}

// --- actions: what one line yields ------------------------------------------------------------------

struct LineState {
  const char* begin = nullptr;  // the first byte of the line (after a BOM)
  CaseEntry entry;
  std::size_t name_offset = 0;
  std::size_t value_offset = 0;
  bool has_entry = false;
};

template <typename Input>
std::size_t offset_in(const Input& in, const LineState& state) {
  return static_cast<std::size_t>(in.begin() - state.begin);
}

template <typename Rule>
struct action : pegtl::nothing<Rule> {};

template <>
struct action<cf::name> {
  template <typename Input>
  static void apply(const Input& in, LineState& state) {
    state.entry.name = in.string();
    state.name_offset = offset_in(in, state);
  }
};

// Sets the kind and the text of the value as written.
template <CaseValueKind Kind>
struct value_action {
  template <typename Input>
  static void apply(const Input& in, LineState& state) {
    state.entry.kind = Kind;
    state.entry.text = in.string();
    state.value_offset = offset_in(in, state);
  }
};

template <>
struct action<cf::unknown_mark> : value_action<CaseValueKind::Unknown> {};
template <>
struct action<cf::date> : value_action<CaseValueKind::Date> {};
template <>
struct action<cf::article> : value_action<CaseValueKind::Article> {};
template <>
struct action<cf::integer> : value_action<CaseValueKind::Integer> {};

template <>
struct action<cf::word> {
  template <typename Input>
  static void apply(const Input& in, LineState& state) {
    value_action<CaseValueKind::Word>::apply(in, state);
    if (state.entry.text == "inconnu") state.entry.kind = CaseValueKind::Unknown;
  }
};

// The body of a string, unescaped; its enclosing `string` then places it at the opening quote.
template <>
struct action<cf::string_body> {
  template <typename Input>
  static void apply(const Input& in, LineState& state) {
    const std::string_view body(in.begin(), in.size());
    std::string text;
    text.reserve(body.size());
    for (std::size_t i = 0; i < body.size(); ++i) {
      if (body[i] == '\\' && i + 1 < body.size()) ++i;  // the grammar allows only \" and \\ here
      text += body[i];
    }
    state.entry.text = std::move(text);
  }
};

template <>
struct action<cf::string> {
  template <typename Input>
  static void apply(const Input& in, LineState& state) {
    state.entry.kind = CaseValueKind::String;
    state.value_offset = offset_in(in, state);
  }
};

template <>
struct action<cf::entry> {
  template <typename Input>
  static void apply(const Input& /*in*/, LineState& state) {
    state.has_entry = true;
  }
};

using LineInput = pegtl::memory_input<pegtl::tracking_mode::lazy, pegtl::eol::lf_crlf, const char*>;

// Reads one line (with its line end, if any). Returns false after reporting its error.
bool read_line(std::string_view line, std::uint32_t file, std::uint32_t line_no, LineState& state, Diagnostics& diags) {
  const std::string_view text = line.substr(0, line.find('\n'));
  if (text.size() > kMaxLineBytes) {
    diags.error({file, line_no, column_of(line, kMaxLineBytes)}, msg(Msg::CaseLineTooLong, text.size(), kMaxLineBytes),
                msg(Msg::CaseLineTooLongHint));
    return false;
  }
  if (const std::size_t bad = first_bad_byte(text); bad != std::string_view::npos) {
    const Location at{file, line_no, column_of(line, bad)};
    if (text[bad] == '\0') {
      diags.error(at, msg(Msg::CaseNulByte));
    } else {
      diags.error(at, msg(Msg::CaseBadUtf8, fmt::format("{:02x}", static_cast<unsigned char>(text[bad]))));
    }
    return false;
  }
  state.begin = line.data();
  LineInput in(line.data(), line.data() + line.size(), "case");
  try {
    if (pegtl::parse<cf::line, action, cf::control>(in, state)) return true;
    diags.error({file, line_no, 1}, msg(Msg::CaseContent));
  } catch (const pegtl::parse_error& e) {
    const std::size_t offset = e.positions().empty() ? 0 : e.positions().front().byte;
    diags.error({file, line_no, column_of(line, offset)}, grammar_message(e.message(), state.entry.name, line, offset));
  }
  return false;
}

}  // namespace

std::vector<CaseEntry> parse_case(const SourceSet& sources, std::uint32_t file, Diagnostics& diags) {
  std::vector<CaseEntry> entries;
  if (file >= sources.size()) {
    diags.error({file, 0, 0}, fmt::format("no case file with index {}", file));
    return entries;
  }
  std::uint32_t line_no = 0;
  try {
    const std::string_view text = sources.text(file);
    // One entry a line at most: room for them at once, not moved again as the vector grows (up to a
    // case's usual size: a file of blank lines reserves no more).
    constexpr std::size_t kEntriesReserved = 256;
    entries.reserve(
        std::min(kEntriesReserved, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1));
    std::size_t pos = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
    std::size_t syntax_errors = 0;
    while (pos < text.size()) {
      ++line_no;
      const std::size_t newline = text.find('\n', pos);
      const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
      std::string_view line = text.substr(pos, end - pos);
      if (newline == std::string_view::npos && !line.empty() && line.back() == '\r') {
        line.remove_suffix(1);  // a CRLF file cut after its last CR
      }
      LineState state;
      if (read_line(line, file, line_no, state, diags)) {
        if (state.has_entry) {
          state.entry.name_at = {file, line_no, column_of(line, state.name_offset)};
          state.entry.value_at = {file, line_no, column_of(line, state.value_offset)};
          entries.push_back(std::move(state.entry));
        }
      } else if (++syntax_errors >= kErrorLimit && end < text.size()) {
        // Like a compiler's error limit: past this many, more messages help no one, and reading on
        // a file that is not a case file at all would only cost time.
        diags.note({file, line_no + 1, 1}, msg(Msg::CaseTooManyErrors));
        break;
      }
      pos = end;
    }
  } catch (const std::exception& e) {
    // Only an allocation failure can get here; the user still gets a located message, not a crash.
    diags.error({file, line_no, 1}, msg(Msg::CaseUnreadable, e.what()));
  }
  return entries;
}

}  // namespace secretc
