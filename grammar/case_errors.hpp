// What a case file's reader is told when a `must< R >` of grammar/case_grammar.hpp fails: one line per rule
// (grammar/case_errors.def), naming a message of the catalogue (runtime/messages.def), worded there in
// English and in French.
// The parser gives it three arguments from the line being read: the entry's name as far as it was read,
// the text where the error is (up to the next blank or the line end), and the escape there.
#pragma once

#include <tao/pegtl.hpp>

#include "grammar/case_grammar.hpp"

namespace secretc::grammar::case_file {

// clang-format off
template< typename > inline constexpr const char* error_message = nullptr;

#define SECRETC_SYNTAX_ERROR(rule, id) template <> inline constexpr auto error_message<rule> = #id;
#include "grammar/case_errors.def"
#undef SECRETC_SYNTAX_ERROR

// Only a failing `must` raises: a rule that merely fails inside `sor` (a digit that is no integer) lets
// the next alternative try, even when the rule has a message.
struct error {
  template< typename Rule > static constexpr auto message = error_message< Rule >;
  template< typename Rule > static constexpr bool raise_on_failure = false;
};

// Raises a tao::pegtl::parse_error carrying the message above when a `must` fails.
template< typename Rule > using control = tao::pegtl::must_if< error >::control< Rule >;
// clang-format on

}  // namespace secretc::grammar::case_file
