// The tokens and the comments of a rule file, for the formatter (compiler/format.cpp).
//
// The compiler's parser (grammar/rules_grammar.hpp) skips comments as whitespace; the formatter must
// keep every one of them, so it reads the file a second time as a flat list of tokens and comments,
// with their positions. It only ever reads files the compiler's parser has already accepted: the
// lexer splits text, it does not judge it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/utf8.hpp"

namespace secretc::format_lexer {

enum class TokenKind : std::uint8_t {
  Word,    // a keyword or a name, dots included (`confident.fonction`, `règle`, `aujourd'hui`)
  Number,  // an integer, a date or an article (`-3`, `2019-03-14`, `371/1`, `377bis`)
  String,  // a string literal, quotes included, exactly as written (it may span lines)
  Punct,   // `{ } ( ) , : = == != < <= > >= += .. ?`
};

struct Token {
  TokenKind kind = TokenKind::Word;
  std::string text;       // the bytes as written
  std::size_t begin = 0;  // byte offsets in the file
  std::size_t end = 0;
  std::uint32_t line = 1;     // 1-based line of its first byte
  bool blank_before = false;  // an empty line separates it from the token or comment before it
};

struct Comment {
  std::string text;       // from `#` to the end of its line, trailing blanks removed
  std::size_t begin = 0;  // byte offset of `#`
  std::uint32_t line = 1;
  std::uint32_t column = 1;   // 1-based, in characters
  bool own_line = false;      // only blanks before it on its line
  bool blank_before = false;  // an empty line separates it from the token or comment before it
};

struct Lexed {
  std::vector<Token> tokens;
  std::vector<Comment> comments;
  std::string error;  // non-empty when the text holds something no rule file can hold
  std::uint32_t error_line = 0;
};

// Splits a rule file into tokens and comments (a UTF-8 byte-order mark at the start is skipped).
Lexed lex_rules(std::string_view text);

}  // namespace secretc::format_lexer
