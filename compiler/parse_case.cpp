#include "compiler/parse_case.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <exception>
#include <new>
#include <string>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include <fmt/format.h>
#include <tao/pegtl.hpp>

#include "grammar/case_errors.hpp"
#include "grammar/case_grammar.hpp"
#include "runtime/messages.hpp"
#include "runtime/same_text.hpp"
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

// --- the plain line, read by hand -----------------------------------------------------------------
//
// Most lines of most cases are plain: ASCII, a lowercase name, `=`, a value the grammar reads without
// ambiguity, maybe a comment. Such a line is read here, about ten times faster than by the grammar,
// and gives exactly what the grammar gives (tests/compiler/parse_case_test.cpp and fuzz/fuzz_case.cpp
// compare the two). Whatever is not plain — any byte beyond ASCII or below a space but the tab, a
// string with an escape, any line the grammar would refuse — is left to the grammar, which reads it
// or says what is wrong.

// The classes of ASCII bytes a plain line is read with, one table lookup each; a byte beyond ASCII, a
// control character and NUL are in none (but the tab, a blank).
enum : std::uint8_t { kLower = 1, kDigit = 2, kAlpha = 4, kBlank = 8, kPrintable = 16 };
constexpr std::array<std::uint8_t, 256> kClasses = [] {
  std::array<std::uint8_t, 256> t{};
  for (int c = ' '; c <= '~'; ++c) t[c] |= kPrintable;
  for (int c = 'a'; c <= 'z'; ++c) t[c] |= kLower | kAlpha;
  for (int c = 'A'; c <= 'Z'; ++c) t[c] |= kAlpha;
  for (int c = '0'; c <= '9'; ++c) t[c] |= kDigit;
  t['_'] |= kLower;
  t[' '] |= kBlank;
  t['\t'] |= kBlank | kPrintable;
  return t;
}();
constexpr bool in(char c, std::uint8_t classes) {
  return (kClasses[static_cast<unsigned char>(c)] & classes) != 0;
}
constexpr bool is_lower(char c) {
  return in(c, kLower);
}  // a name's first character: [a-z_]
constexpr bool is_digit(char c) {
  return in(c, kDigit);
}
constexpr bool is_alpha(char c) {
  return in(c, kAlpha);
}
constexpr bool is_word_char(char c) {
  return in(c, kLower | kAlpha | kDigit);
}  // on ASCII text
constexpr bool is_blank(char c) {
  return in(c, kBlank);
}

// Past the run of bytes of a class that begins at p[i]: [a-z0-9_] (a name's segment), [A-Za-z0-9_] (a
// word) or [0-9]. Sixteen bytes at a time (SSE2, which every x86-64 has) while sixteen are left before
// the text's end, then one at a time; both stop at the first byte outside the class, NUL and a line feed
// included, so that the loops over a text that ends with a line feed need no other bound.
enum class Run : std::uint8_t { Segment, Word, Digits };
template <Run R, bool Bounded>
[[gnu::always_inline]] inline std::size_t run_end(const char* p, std::size_t i, std::size_t n) {
#if defined(__SSE2__)
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    // Compared as signed bytes, those beyond ASCII are below every bound.
    const auto between = [](__m128i w, char lo, char hi) {
      return _mm_and_si128(_mm_cmpgt_epi8(w, _mm_set1_epi8(static_cast<char>(lo - 1))),
                           _mm_cmplt_epi8(w, _mm_set1_epi8(static_cast<char>(hi + 1))));
    };
    __m128i in_class = between(v, '0', '9');
    if constexpr (R == Run::Segment) {
      in_class = _mm_or_si128(in_class, _mm_or_si128(between(v, 'a', 'z'), _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
    } else if constexpr (R == Run::Word) {
      // A letter of either case is one of a-z once its 0x20 bit is set (no other byte is).
      in_class = _mm_or_si128(in_class, _mm_or_si128(between(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'),
                                                     _mm_cmpeq_epi8(v, _mm_set1_epi8('_'))));
    }
    const auto outside = ~static_cast<unsigned>(_mm_movemask_epi8(in_class)) & 0xFFFFU;
    if (outside != 0) return i + static_cast<std::size_t>(std::countr_zero(outside));
  }
#endif
  constexpr std::uint8_t classes = R == Run::Segment ? (kLower | kDigit)
                                   : R == Run::Word  ? (kLower | kAlpha | kDigit)
                                                     : kDigit;
  while ((!Bounded || i < n) && in(p[i], classes)) ++i;
  return i;
}

struct PlainLine {
  bool has_entry = false;
  std::string_view name, text;
  CaseValueKind kind = CaseValueKind::Word;
  std::size_t name_offset = 0, value_offset = 0;
};

constexpr std::size_t kNotPlain = std::string_view::npos;

// Where the line ends, once its content is read up to `i`: past its line end (LF, CRLF, or a CR that
// ends the text), or kNotPlain when anything but blanks and a comment of printable ASCII is left.
template <bool Bounded>
std::size_t plain_end(std::string_view text, std::size_t line_begin, std::size_t i) {
  const std::size_t n = text.size();
  while ((!Bounded || i < n) && is_blank(text[i])) ++i;
  if ((!Bounded || i < n) && text[i] == '#') {
    while ((!Bounded || i < n) && in(text[i], kPrintable)) ++i;
  }
  // The line's length as the grammar's reader measures it: the CR of a CRLF counted, a CR that ends the
  // text not.
  std::size_t length = i - line_begin;
  std::size_t end = kNotPlain;
  if (i == n) {
    end = n;
  } else if (text[i] == '\n') {
    end = i + 1;
  } else if (text[i] == '\r' && i + 1 == n) {
    end = n;
  } else if (text[i] == '\r' && text[i + 1] == '\n') {
    end = i + 2;
    ++length;
  } else {
    return kNotPlain;
  }
  return length > kMaxLineBytes ? kNotPlain : end;
}

// Reads the line that begins at text[pos]: past its line end, or kNotPlain for the grammar to read it.
// Every byte it reads is tested against the class it must be in, so that a byte beyond ASCII or a
// control character anywhere makes the line not plain.
//
// Bounded: every read is checked against the text's end. A text that ends with a line feed needs no
// check: every loop stops at a line feed, which is in no class, and every read past a character
// follows one that is no line feed.
template <bool Bounded>
std::size_t read_plain(std::string_view text, std::size_t pos, PlainLine& out) {
  const std::size_t n = text.size();
  const char* const p = text.data();
  const auto at = [&](std::size_t i) { return !Bounded || i < n ? p[i] : '\0'; };  // NUL: the text's end
  std::size_t i = pos;
  while (is_blank(at(i))) ++i;
  if (!is_lower(at(i))) return plain_end<Bounded>(text, pos, i);  // blank or a comment, else not plain
  // The name: segments of [a-z_][a-z0-9_]*, joined by dots, and nothing of a name right after it.
  const std::size_t name_begin = i;
  for (;;) {
    if (!is_lower(at(i))) return kNotPlain;
    i = run_end<Run::Segment, Bounded>(p, i + 1, n);
    if (at(i) != '.') break;
    ++i;
  }
  if (is_alpha(at(i)) || at(i) == '-') return kNotPlain;
  out.name = std::string_view(p + name_begin, i - name_begin);
  out.name_offset = name_begin - pos;
  while (is_blank(at(i))) ++i;
  if (at(i) != '=') return kNotPlain;
  ++i;
  while (is_blank(at(i))) ++i;
  const std::size_t v = i;
  out.value_offset = v - pos;
  const char c = at(v);
  if (c == '?') {
    out.kind = CaseValueKind::Unknown;
    ++i;
  } else if (c == '"') {
    ++i;
    while (in(at(i), kPrintable) && at(i) != '"' && at(i) != '\\') ++i;
    if (at(i) != '"') return kNotPlain;  // an escape, a byte beyond ASCII, or no closing quote
    out.kind = CaseValueKind::String;
    out.text = std::string_view(p + v + 1, i - v - 1);
    ++i;
  } else if (is_digit(c)) {
    i = run_end<Run::Digits, Bounded>(p, i + 1, n);
    if (at(i) == '-') {
      // Digits then `-` can only be a date: exactly YYYY-MM-DD, and no word character after it.
      const bool shaped = i - v == 4 && is_digit(at(v + 5)) && is_digit(at(v + 6)) && at(v + 7) == '-' &&
                          is_digit(at(v + 8)) && is_digit(at(v + 9)) && !is_word_char(at(v + 10));
      if (!shaped) return kNotPlain;
      out.kind = CaseValueKind::Date;
      i = v + 10;
    } else if (at(i) == '/') {
      std::size_t j = i + 1;
      if (!is_digit(at(j))) return kNotPlain;
      while (is_digit(at(j))) ++j;
      if (at(j) == '/') return kNotPlain;  // 01/05/2024: a date written otherwise
      while (is_alpha(at(j))) ++j;
      out.kind = CaseValueKind::Article;
      i = j;
    } else if (is_alpha(at(i))) {
      while (is_alpha(at(i))) ++i;
      out.kind = CaseValueKind::Article;
    } else {
      out.kind = CaseValueKind::Integer;
    }
  } else if (c == '+' || c == '-') {
    ++i;
    if (!is_digit(at(i))) return kNotPlain;
    while (is_digit(at(i))) ++i;
    out.kind = CaseValueKind::Integer;
  } else if (is_alpha(c) || c == '_') {
    i = run_end<Run::Word, Bounded>(p, i + 1, n);
    while ((at(i) == '-' || at(i) == '\'') && is_word_char(at(i + 1))) {
      i = run_end<Run::Word, Bounded>(p, i + 2, n);
    }
    out.kind = same_text(std::string_view(p + v, i - v), "inconnu") ? CaseValueKind::Unknown : CaseValueKind::Word;
  } else {
    return kNotPlain;
  }
  if (out.kind != CaseValueKind::String) out.text = std::string_view(p + v, i - v);
  // Only blanks, then a comment or the line's end, may follow a value: most often the line feed at once.
  if ((!Bounded || i < n) && p[i] == '\n' && i - pos <= kMaxLineBytes) {
    out.has_entry = true;
    return i + 1;
  }
  const std::size_t end = plain_end<Bounded>(text, pos, i);
  out.has_entry = end != kNotPlain;
  return end;
}

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

// Reads every line of a case text: a plain line by hand (unless `scan` says otherwise), any other by the
// grammar. `plain(PlainLine, line_no)` takes the first, `parsed(CaseEntry&&)` the second's entry.
template <typename Plain, typename Parsed>
void read_text(std::string_view text, std::uint32_t file, Diagnostics& diags, CaseScan scan, Plain&& plain,
               Parsed&& parsed) {
  std::uint32_t line_no = 0;
  try {
    std::size_t pos = text.substr(0, kBom.size()) == kBom ? kBom.size() : 0;
    std::size_t syntax_errors = 0;
    const bool ends_with_newline = !text.empty() && text.back() == '\n';
    while (pos < text.size()) {
      ++line_no;
      if (scan == CaseScan::Fast) {
        PlainLine p;
        const std::size_t end = ends_with_newline ? read_plain<false>(text, pos, p) : read_plain<true>(text, pos, p);
        if (end != kNotPlain) {
          if (p.has_entry) plain(p, line_no);
          pos = end;
          continue;
        }
      }
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
          parsed(std::move(state.entry));
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
}

// A plain line is ASCII: its columns are its offsets, plus one.
Location plain_at(std::uint32_t file, std::uint32_t line_no, std::size_t offset) {
  return {file, line_no, static_cast<std::uint32_t>(offset + 1)};
}

}  // namespace

std::vector<CaseEntry> parse_case(const SourceSet& sources, std::uint32_t file, Diagnostics& diags, CaseScan scan) {
  std::vector<CaseEntry> entries;
  if (file >= sources.size()) {
    diags.error({file, 0, 0}, fmt::format("no case file with index {}", file));
    return entries;
  }
  const std::string_view text = sources.text(file);
  // One entry a line at most: room for them at once, not moved again as the vector grows (up to a
  // case's usual size: a file of blank lines reserves no more).
  constexpr std::size_t kEntriesReserved = 256;
  try {
    entries.reserve(
        std::min(kEntriesReserved, static_cast<std::size_t>(std::count(text.begin(), text.end(), '\n')) + 1));
  } catch (const std::bad_alloc&) {
    // Only room made early: the entries still come, one by one.
  }
  read_text(
      text, file, diags, scan,
      [&](const PlainLine& p, std::uint32_t line_no) {
        CaseEntry& e = entries.emplace_back();
        e.name = p.name;
        e.kind = p.kind;
        e.text = p.text;
        e.name_at = plain_at(file, line_no, p.name_offset);
        e.value_at = plain_at(file, line_no, p.value_offset);
      },
      [&](CaseEntry&& e) { entries.push_back(std::move(e)); });
  return entries;
}

std::span<const CaseEntryView> CaseReader::read(std::string_view text, std::uint32_t file, Diagnostics& diags) {
  views_.clear();
  parsed_.clear();
  parsed_at_.clear();
  read_text(
      text, file, diags, CaseScan::Fast,
      [&](const PlainLine& p, std::uint32_t line_no) {
        views_.emplace_back(p.name, p.kind, p.text, plain_at(file, line_no, p.name_offset),
                            plain_at(file, line_no, p.value_offset), Program::kNoFact);
      },
      [&](CaseEntry&& e) {
        parsed_at_.push_back(views_.size());
        views_.emplace_back();
        parsed_.push_back(std::move(e));
      });
  // The grammar's entries are viewed once they are all read: parsed_ no longer moves.
  for (std::size_t k = 0; k < parsed_.size(); ++k) views_[parsed_at_[k]] = CaseEntryView(parsed_[k]);
  return views_;
}

}  // namespace secretc
