// What a rule file's author is told when a `must< R >` (or a `raise< R >`) of grammar/rules_grammar.hpp fails:
// one line per rule (grammar/rules_errors.def), naming a message of the catalogue (runtime/messages.def),
// where it is worded in English and in French. compiler/parse_rules.cpp gives it its arguments, taken from
// the line: {0} the word where the error is ({0} and {1} for SyntaxAccentedName: the word, and the word
// without accents).
#pragma once

#include "grammar/rules_grammar.hpp"

namespace secretc::grammar::rules {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
#define SECRETC_SYNTAX_ERROR(rule, id) template <> inline constexpr auto error_message<rule> = #id;
#include "grammar/rules_errors.def"
#undef SECRETC_SYNTAX_ERROR
// clang-format on

// A message is used only where the grammar says `must< Rule >`; the same rule may fail quietly
// elsewhere (inside `opt< … >`), so failing never raises by itself.
struct error_messages {
  template <typename Rule>
  static constexpr const char* message = error_message<Rule>;
  template <typename Rule>
  static constexpr bool raise_on_failure = false;
};

template <typename Rule>
using error_control = tao::pegtl::must_if<error_messages>::control<Rule>;

}  // namespace secretc::grammar::rules
