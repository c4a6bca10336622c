// What a case file's reader is told when a `must< R >` of grammar/case_grammar.hpp fails: one line per rule.
//
// Messages are lowercase, without a final period, names in backticks: what is wrong, then what to do.
// The parser fills three placeholders from the line being read:
//   {name}    the name of the line's entry, as far as it was read
//   {token}   the text where the error is, up to the next blank or the line end
//   {escape}  the backslash where the error is and the character after it
#pragma once

#include <tao/pegtl.hpp>

#include "grammar/case_grammar.hpp"

namespace secretc::grammar::case_file {

// clang-format off
template< typename > inline constexpr const char* error_message = nullptr;

template<> inline constexpr auto error_message< content > = "expected `name = value`, a `#` comment or a blank line";
template<> inline constexpr auto error_message< segment > = "names are lowercase dotted identifiers, like `confident.fonction`";
template<> inline constexpr auto error_message< name_end > = "names are lowercase dotted identifiers, like `confident.fonction`";
template<> inline constexpr auto error_message< equals > = "expected `=` after the name `{name}`";
template<> inline constexpr auto error_message< value_present > = "missing value for `{name}`; write one after `=`, or `?` if it is unknown";
template<> inline constexpr auto error_message< value > = "`{token}` is not a value; write a word, a date `YYYY-MM-DD`, a number, a \"string\" or `?`";
template<> inline constexpr auto error_message< after_value > = "unexpected `{token}` after the value of `{name}`; write one `name = value` per line and start comments with `#`";
template<> inline constexpr auto error_message< well_formed_date > = "malformed date `{token}`; write `YYYY-MM-DD`, like `2024-05-01`";
template<> inline constexpr auto error_message< sub_number > = "expected digits after `/` in an article, like `371/1`";
template<> inline constexpr auto error_message< digits > = "expected digits after the sign, like `-3`";
template<> inline constexpr auto error_message< valid_escape > = "invalid escape `{escape}` in a string; only `\\\"` and `\\\\` are allowed";
template<> inline constexpr auto error_message< closed_string > = "unterminated string; close it with `\"`";

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
