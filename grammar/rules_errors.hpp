// What a rule file's author is told when a `must< R >` (or a `raise< R >`) of grammar/rules_grammar.hpp fails:
// one line per rule, naming a message of the catalogue (runtime/messages.def), where it is worded in
// English and in French. compiler/parse_rules.cpp gives it its arguments, taken from the line: {0} the
// word where the error is ({0} and {1} for SyntaxAccentedName: the word, and the word without accents).
#pragma once

#include "grammar/rules_grammar.hpp"

namespace secretc::grammar::rules {

template <typename Rule>
inline constexpr const char* error_message = nullptr;

// clang-format off
template<> inline constexpr auto error_message< closed_string > = "SyntaxUnterminatedString";
template<> inline constexpr auto error_message< escape > = "SyntaxBadEscape";
template<> inline constexpr auto error_message< expr > = "SyntaxCondition";
template<> inline constexpr auto error_message< close_paren > = "SyntaxCloseParen";
template<> inline constexpr auto error_message< operand > = "SyntaxOperand";
template<> inline constexpr auto error_message< range_end > = "SyntaxRangeEnd";
template<> inline constexpr auto error_message< set_close > = "SyntaxSetClose";
template<> inline constexpr auto error_message< set_operand > = "SyntaxSetOperand";
template<> inline constexpr auto error_message< not_operand > = "SyntaxNotOperand";
template<> inline constexpr auto error_message< and_operand > = "SyntaxAndOperand";
template<> inline constexpr auto error_message< or_operand > = "SyntaxOrOperand";
template<> inline constexpr auto error_message< members > = "SyntaxMembers";
template<> inline constexpr auto error_message< labelled_members > = "SyntaxLabelledMembers";
template<> inline constexpr auto error_message< close_brace > = "SyntaxCloseBrace";
template<> inline constexpr auto error_message< rulebase_name > = "SyntaxRulebaseName";
template<> inline constexpr auto error_message< kw_version > = "SyntaxVersionKeyword";
template<> inline constexpr auto error_message< rulebase_version > = "SyntaxVersion";
template<> inline constexpr auto error_message< translation_text > = "SyntaxTranslation";
template<> inline constexpr auto error_message< help_text > = "SyntaxHelpText";
template<> inline constexpr auto error_message< tok< theme_name > > = "SyntaxThemeName";
template<> inline constexpr auto error_message< theme_label > = "SyntaxThemeLabel";
template<> inline constexpr auto error_message< law_date > = "SyntaxLawDate";
template<> inline constexpr auto error_message< doubt_member > = "SyntaxDoubtMember";
template<> inline constexpr auto error_message< rule_name_token > = "SyntaxRuleName";
template<> inline constexpr auto error_message< enum_name_token > = "SyntaxEnumName";
template<> inline constexpr auto error_message< member_list > = "SyntaxMemberList";
template<> inline constexpr auto error_message< base_type > = "SyntaxBaseType";
template<> inline constexpr auto error_message< name_token > = "SyntaxName";
template<> inline constexpr auto error_message< colon > = "SyntaxColon";
template<> inline constexpr auto error_message< type_ref > = "SyntaxType";
template<> inline constexpr auto error_message< default_value > = "SyntaxDefaultValue";
template<> inline constexpr auto error_message< equals > = "SyntaxEquals";
template<> inline constexpr auto error_message< define_value > = "SyntaxDefineValue";
template<> inline constexpr auto error_message< output_default > = "SyntaxOutputDefault";
template<> inline constexpr auto error_message< string_token > = "SyntaxString";
template<> inline constexpr auto error_message< valid_from_date > = "SyntaxValidFromDate";
template<> inline constexpr auto error_message< valid_until_date > = "SyntaxValidUntilDate";
template<> inline constexpr auto error_message< rule_ref_token > = "SyntaxRuleRef";
template<> inline constexpr auto error_message< effect > = "SyntaxEffect";
template<> inline constexpr auto error_message< effect_value > = "SyntaxEffectValue";
template<> inline constexpr auto error_message< member_token > = "SyntaxMember";
template<> inline constexpr auto error_message< tok< synonym_word > > = "SyntaxSynonym";
template<> inline constexpr auto error_message< tok< given_value > > = "SyntaxGivenValue";
template<> inline constexpr auto error_message< given_item > = "SyntaxGivenItem";
template<> inline constexpr auto error_message< expect_item > = "SyntaxExpectItem";
template<> inline constexpr auto error_message< expected_value > = "SyntaxExpectedValue";
template<> inline constexpr auto error_message< member_set > = "SyntaxMemberSet";
template<> inline constexpr auto error_message< expect_output_rest > = "SyntaxExpectOutputRest";
template<> inline constexpr auto error_message< test_name > = "SyntaxTestName";
template<> inline constexpr auto error_message< open_brace > = "SyntaxOpenBrace";
template<> inline constexpr auto error_message< test_close > = "SyntaxTestClose";
template<> inline constexpr auto error_message< declaration > = "SyntaxDeclaration";
template<> inline constexpr auto error_message< accented_name > = "SyntaxAccentedName";
template<> inline constexpr auto error_message< non_for_false > = "SyntaxNonForFalse";
template<> inline constexpr auto error_message< missing_then > = "SyntaxMissingThen";
template<> inline constexpr auto error_message< if_for_when > = "SyntaxIfForWhen";
template<> inline constexpr auto error_message< validity_form > = "SyntaxValidity";
template<> inline constexpr auto error_message< missing_and_or > = "SyntaxMissingAndOr";
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
