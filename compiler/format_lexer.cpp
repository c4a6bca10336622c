#include "compiler/format_lexer.hpp"

#include <fmt/format.h>

#include "grammar/keywords.hpp"

namespace secretc::format_lexer {

namespace {

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_ascii_ident(char c) {
  return is_ascii_letter(c) || is_digit(c);
}
bool is_non_ascii(char c) {
  return (static_cast<unsigned char>(c) & 0x80U) != 0;
}
// Keywords may hold accented letters (`règle`, `à`, `jusqu’au`); names never do, but the compiler's
// parser has already refused a name that does.
bool is_word_char(char c) {
  return is_ascii_ident(c) || is_non_ascii(c);
}

// Whether a word is what a keyword's word holds before an apostrophe (`aujourd'hui`, `jusqu'au`).
bool before_apostrophe(std::string_view so_far) {
  for (const KeywordInfo& k : kKeywords) {
    for (const std::string_view list : {k.french, k.english}) {
      for (std::size_t at = list.find('\''); at != std::string_view::npos; at = list.find('\'', at + 1)) {
        const std::size_t start = list.find_last_of(" |", at) == std::string_view::npos ? 0 : list.find_last_of(" |", at) + 1;
        if (list.substr(start, at - start) == so_far) return true;
      }
    }
  }
  return false;
}

}  // namespace

Lexed lex_rules(std::string_view text) {
  Lexed out;
  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3;
  std::uint32_t line = 1;
  std::size_t line_start = pos;
  int newlines = 0;  // line ends since the last token or comment
  const std::size_t n = text.size();

  auto only_blanks_before = [&](std::size_t at) {
    for (std::size_t i = line_start; i < at; ++i) {
      if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') return false;
    }
    return true;
  };

  while (pos < n) {
    const char c = text[pos];
    if (c == '\n') {
      ++newlines;
      ++line;
      line_start = ++pos;
      continue;
    }
    if (c == ' ' || c == '\t' || c == '\r') {
      ++pos;
      continue;
    }
    if (c == '#') {
      std::size_t end = text.find('\n', pos);
      if (end == std::string_view::npos) end = n;
      Comment k;
      k.text = std::string(text.substr(pos, end - pos));
      while (!k.text.empty() && (k.text.back() == ' ' || k.text.back() == '\t' || k.text.back() == '\r'))
        k.text.pop_back();
      k.begin = pos;
      k.line = line;
      k.column = static_cast<std::uint32_t>(utf8_length(text.substr(line_start, pos - line_start)) + 1);
      k.own_line = only_blanks_before(pos);
      k.blank_before = newlines >= 2;
      out.comments.push_back(std::move(k));
      newlines = 0;
      pos = end;
      continue;
    }

    Token t;
    t.begin = pos;
    t.line = line;
    t.blank_before = newlines >= 2;
    newlines = 0;
    if (c == '"') {
      t.kind = TokenKind::String;
      ++pos;
      while (pos < n && text[pos] != '"') {
        if (text[pos] == '\\' && pos + 1 < n) ++pos;
        if (text[pos] == '\n') {
          ++line;
          line_start = pos + 1;
        }
        ++pos;
      }
      if (pos >= n) {
        out.error = "unterminated string";
        out.error_line = t.line;
        return out;
      }
      ++pos;
    } else if (is_digit(c) || (c == '-' && pos + 1 < n && is_digit(text[pos + 1]))) {
      // Integers, dates and articles all end where no letter, digit, `_`, `/` or `-` follows.
      t.kind = TokenKind::Number;
      ++pos;
      while (pos < n && (is_ascii_ident(text[pos]) || text[pos] == '/' || text[pos] == '-')) ++pos;
    } else if (is_ascii_letter(c) || is_non_ascii(c)) {
      t.kind = TokenKind::Word;
      while (pos < n && is_word_char(text[pos])) ++pos;
      const std::string_view so_far = text.substr(t.begin, pos - t.begin);
      if (pos < n && text[pos] == '\'' && before_apostrophe(so_far)) {
        ++pos;
        while (pos < n && is_word_char(text[pos])) ++pos;
      }
      while (pos + 1 < n && text[pos] == '.' && is_ascii_letter(text[pos + 1])) {
        ++pos;
        while (pos < n && is_ascii_ident(text[pos])) ++pos;
      }
    } else {
      t.kind = TokenKind::Punct;
      static constexpr std::string_view kTwo[] = {"==", "!=", "<=", ">=", "+=", ".."};
      bool two = false;
      for (const std::string_view p : kTwo) {
        if (text.substr(pos, 2) == p) two = true;
      }
      if (two) {
        pos += 2;
      } else if (std::string_view("{}(),:=<>?|").find(c) != std::string_view::npos) {
        ++pos;
      } else {
        out.error = fmt::format("unexpected character `{}`", c);
        out.error_line = line;
        return out;
      }
    }
    t.end = pos;
    t.text = std::string(text.substr(t.begin, t.end - t.begin));
    out.tokens.push_back(std::move(t));
  }
  return out;
}

}  // namespace secretc::format_lexer
