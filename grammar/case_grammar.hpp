// The grammar of case files (`*.fact`): one `name = value` per line (docs/case-files.md §1, the
// repository's copy of the shared contract).
//
//   # a comment, anywhere on a line but inside a string
//   cas.date = 2024-05-01
//   confident.fonction = psychiatre
//   victime.mineur = oui            # booleans: true false oui non vrai faux
//   cas.titre = "Madame L. et ses \"trois\" enfants"
//   infraction.article = 371/1      # an article-shaped token
//   danger.actuel = ?               # explicitly unknown (also `inconnu`)
//
// Grammar only: no actions, no I/O. Every `must< R >` names a point past which the line can only be wrong;
// its message is `error_message< R >` in grammar/case_errors.hpp. `file` is the whole format; the parser
// (compiler/parse_case.cpp) matches `line` once per line so that one bad line costs one error and the next
// line is read afresh. Text is UTF-8 (the parser rejects invalid sequences before the grammar sees them).
#pragma once

#include <tao/pegtl.hpp>

namespace secretc::grammar::case_file {

using namespace tao::pegtl;  // NOLINT(google-build-using-namespace): the grammar reads as PEGTL

// clang-format off

// --- layout ----------------------------------------------------------------------------------------
struct ws : star< blank > {};                                   // spaces and tabs
struct non_ascii : utf8::range< 0x80, 0x10FFFF > {};            // any character beyond ASCII
struct comment : seq< one< '#' >, until< at< eolf > > > {};     // up to the line end (LF or CRLF)

// --- names: lowercase dotted identifiers, `confident.fonction` ---------------------------------------
struct segment : seq< ranges< 'a', 'z', '_' >, star< ranges< 'a', 'z', '0', '9', '_' > > > {};
struct name_end : not_at< sor< alnum, one< '_', '-' >, non_ascii > > {};  // `confidentX`, `victime-mineur`
struct name : seq< segment, star< one< '.' >, must< segment > >, must< name_end > > {};
// A line that starts like a name but not a lowercase one (`Victime.mineur`, `âge`): the name's error.
struct misnamed : seq< at< sor< upper, non_ascii > >, raise< segment > > {};

// --- values ------------------------------------------------------------------------------------------
struct word_char : sor< alnum, one< '_' >, non_ascii > {};
struct unknown_mark : one< '?' > {};
// A bare word: true/false/oui/non/vrai/faux, an enumeration member, `inconnu`. Upper case and accents
// are read too, so that the binder can say `Oui` is no boolean and suggest `oui`.
// Inside a word, `-` and `'` are read too (`Juge-Instruction`, `aujourd'hui`): the binder folds them to `_`.
struct word : seq< sor< alpha, one< '_' >, non_ascii >, star< sor< word_char, seq< one< '-', '\'' >, at< word_char > > > > > {};
// YYYY-MM-DD. Digits then `-` can only be a date: a malformed one is reported where it begins.
struct date_shape : seq< rep< 4, digit >, one< '-' >, rep< 2, digit >, one< '-' >, rep< 2, digit >, not_at< word_char > > {};
struct well_formed_date : at< date_shape > {};
struct date : seq< at< plus< digit >, one< '-' > >, must< well_formed_date >, date_shape > {};
// A date written the way it often is in Belgium (01/05/2024): a malformed date, not an article `01/05`.
struct slashed_date : seq< at< plus< digit >, one< '/' >, plus< digit >, one< '/' > >, must< well_formed_date > > {};
// An article-shaped token: 371/1, 405ter, 433quinquies, 458/2bis (the binder checks the suffix).
struct sub_number : plus< digit > {};
struct article : seq< plus< digit >, sor< seq< one< '/' >, must< sub_number >, star< alpha > >, plus< alpha > > > {};
struct digits : plus< digit > {};
struct sign : one< '+', '-' > {};
struct integer : sor< if_must< sign, digits >, digits > {};
// A double-quoted string on one line, with `\"` and `\\` as its only escapes. An unterminated string
// is reported at its opening quote, an invalid escape at its backslash.
struct escaped : seq< one< '\\' >, one< '"', '\\' > > {};
struct valid_escape : at< escaped > {};
struct escape : seq< at< one< '\\' > >, must< valid_escape >, escaped > {};
struct plain : utf8::not_one< '"', '\\', '\r', '\n' > {};
struct string_body : star< sor< escape, plain > > {};
struct closed_string : at< one< '"' >, string_body, one< '"' > > {};
struct string : seq< at< one< '"' > >, must< closed_string >, one< '"' >, string_body, one< '"' > > {};
struct value : sor< unknown_mark, string, date, slashed_date, article, integer, word > {};

// --- lines -------------------------------------------------------------------------------------------
struct equals : one< '=' > {};
struct value_present : not_at< sor< one< '#' >, eolf > > {};     // `x =` with nothing after it
struct after_value : seq< ws, sor< comment, at< eolf > > > {};    // only a comment may follow a value
struct entry : seq< name, ws, must< equals >, ws, must< value_present >, must< value >, must< after_value > > {};
struct content : sor< comment, at< eolf >, entry, misnamed > {};
struct line_body : seq< ws, must< content > > {};

struct line : seq< line_body, eolf > {};                         // what the parser matches, one line at a time
struct file : seq< opt< utf8::bom >, list< line_body, eol >, eof > {};

// clang-format on

}  // namespace secretc::grammar::case_file
