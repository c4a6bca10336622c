// Error messages of the rule-file grammar: one line per rule that a `must<>` can make fail.
// Lowercase, no final period, keywords in backticks (French first, English in parentheses).
#pragma once

#include "grammar/rules_grammar.hpp"

namespace secretc::grammar::rules {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template<> inline constexpr auto error_message< closed_string > = "unterminated string; close it with `\"`";
template<> inline constexpr auto error_message< escape > = "invalid escape in a string; only `\\\"` and `\\\\` are allowed";
template<> inline constexpr auto error_message< expr > = "expected a condition";
template<> inline constexpr auto error_message< close_paren > = "expected `)` to close the parenthesis";
template<> inline constexpr auto error_message< operand > = "expected a value after the comparison operator";
template<> inline constexpr auto error_message< range_end > = "expected the end of the range after `..`";
template<> inline constexpr auto error_message< set_close > = "expected `,` or `}` in the set";
template<> inline constexpr auto error_message< set_operand > = "expected a set `{ … }` or the name of a set after `dans` (`in`)";
template<> inline constexpr auto error_message< not_operand > = "expected a condition after `non` (`not`)";
template<> inline constexpr auto error_message< and_operand > = "expected a condition after `et` (`and`)";
template<> inline constexpr auto error_message< or_operand > = "expected a condition after `ou` (`or`)";
template<> inline constexpr auto error_message< members > = "expected an enumeration member (a lowercase name)";
template<> inline constexpr auto error_message< labelled_members > = "expected an enumeration member (a lowercase name), optionally followed by its label in double quotes";
template<> inline constexpr auto error_message< close_brace > = "expected `}`";
template<> inline constexpr auto error_message< rulebase_name > = "expected the rulebase's name in double quotes";
template<> inline constexpr auto error_message< kw_version > = "expected `version` and the version in double quotes";
template<> inline constexpr auto error_message< rulebase_version > = "expected the version in double quotes, like `\"2025.1\"`";
template<> inline constexpr auto error_message< translation_text > = "expected the translated text in double quotes after `en` (`fr`)";
template<> inline constexpr auto error_message< help_text > = "expected the help text in double quotes after `aide` (`help`)";
template<> inline constexpr auto error_message< tok< theme_name > > = "expected the theme's name: the first part of the facts' names it gathers, like `danger` for `danger.actuel`";
template<> inline constexpr auto error_message< theme_label > = "expected the theme's label in double quotes, like `\"Le danger\"`";
template<> inline constexpr auto error_message< law_date > = "expected a date `YYYY-MM-DD` after `à jour au` (`as of`)";
template<> inline constexpr auto error_message< doubt_member > = "expected a member after `dans le doute` (`in doubt`)";
template<> inline constexpr auto error_message< rule_name_token > = "expected the rule's name (letters, digits and `_`; not a keyword)";
template<> inline constexpr auto error_message< enum_name_token > = "expected the enumeration's name (letters, digits and `_`; not a keyword)";
template<> inline constexpr auto error_message< member_list > = "expected `{` and the list of members";
template<> inline constexpr auto error_message< base_type > = "expected a type after `ensemble de` (`set of`)";
template<> inline constexpr auto error_message< name_token > = "expected a name like `confident.fonction` (not a keyword)";
template<> inline constexpr auto error_message< colon > = "expected `:` and a type";
template<> inline constexpr auto error_message< type_ref > = "expected a type: `booléen`, `entier`, `date`, `texte`, `article`, an enumeration, or `ensemble de …`";
template<> inline constexpr auto error_message< default_value > = "expected a default value after `=`";
template<> inline constexpr auto error_message< equals > = "expected `=`";
template<> inline constexpr auto error_message< define_value > = "expected a condition or a set `{ … }` after `=`";
template<> inline constexpr auto error_message< output_default > = "expected the default member after `=`";
template<> inline constexpr auto error_message< string_token > = "expected a text in double quotes";
template<> inline constexpr auto error_message< valid_from_date > = "expected a date `YYYY-MM-DD` after `valable du` (`valid from`)";
template<> inline constexpr auto error_message< valid_until_date > = "expected a date `YYYY-MM-DD` after `au` / `jusqu'au` (`until`)";
template<> inline constexpr auto error_message< rule_ref_token > = "expected the name of a rule";
template<> inline constexpr auto error_message< effect > = "expected an effect: `sortie = membre` or `sortie += { … }`";
template<> inline constexpr auto error_message< effect_value > = "expected a member or `{ … }` after `+=`";
template<> inline constexpr auto error_message< member_token > = "expected an enumeration member";
template<> inline constexpr auto error_message< tok< synonym_word > > = "expected a synonym after `|`: another word for the member (letters, digits and `_`)";
template<> inline constexpr auto error_message< tok< given_value > > = "expected a value: `vrai`, `faux`, a member, a date, a number, a text or `?`";
template<> inline constexpr auto error_message< given_item > = "expected `nom = valeur` after `soit` (`given`)";
template<> inline constexpr auto error_message< expect_item > = "expected `sortie = membre`, `sortie possible { … }`, `appliquée règle`, `non appliquée règle`, `sous réserve règle`, `manquant fait` or `dépend de fait` after `attendu` (`expect`)";
template<> inline constexpr auto error_message< expected_value > = "expected a member or a set `{ … }`";
template<> inline constexpr auto error_message< member_set > = "expected a set of members `{ … }`";
template<> inline constexpr auto error_message< expect_output_rest > = "expected `=`, `contient` (`contains`), `inconnue` (`unknown`) or `possible` after the output's name";
template<> inline constexpr auto error_message< test_name > = "expected the test's name in double quotes";
template<> inline constexpr auto error_message< open_brace > = "expected `{`";
template<> inline constexpr auto error_message< test_close > = "expected `soit` (`given`), `attendu` (`expect`) or `}` to close the test";
template<> inline constexpr auto error_message< declaration > = "expected a declaration: `règle`, `fait`, `définition`, `sortie`, `énumération`, `avertissement`, `thème`, `test` or `base` (`rule`, `fact`, `define`, `output`, `enum`, `warning`, `theme`, `test`, `rulebase`)";
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
