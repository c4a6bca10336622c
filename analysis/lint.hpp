// What in a rulebase is likely a mistake: rules that can conflict, rules that never fire or never
// apply, facts and definitions nothing uses, rules without citation or explanation, validity periods
// that overlap where one version should follow the other. The questions about cases go to Z3 over the
// compiled program; the others read the checked model.
//
// A finding the maintainers have weighed is justified in the rule file, in the comment block right
// above the declaration (or at the end of its first line):
//   # lint: ignore conflict(e3_etat_de_necessite) — les sources divergent ; le rapport montre les deux
// (the reason runs on over the comment lines below it, up to the declaration). Such a finding is not reported (it is
// with --show-ignored); a directive without a reason, naming an unknown check, or justifying nothing is a finding
// itself.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/smt.hpp"
#include "compiler/compile.hpp"
#include "runtime/messages.hpp"

namespace secretc {

enum class LintCheck : std::uint8_t {
  Conflict,          // two rules can apply together and set one output to different values
  NeverFires,        // no case makes the rule's condition true (within its validity)
  AlwaysOverridden,  // whenever the rule fires, a rule overriding it fires too
  UnusedFact,        // no rule reads the fact (through definitions too)
  UnusedDefinition,  // no rule uses the definition (through other definitions too)
  NoCite,            // the rule has no `cite`
  NoExplanation,     // the rule has no `parce que` (`because`)
  ValidityOverlap,   // two versions of one provision are both in force on some day, for some case
  Directive,         // a `# lint: ignore` comment that is malformed or justifies nothing
};

// The name a `# lint: ignore` comment uses: conflict, never-fires, always-overridden, unused-fact,
// unused-definition, no-cite, no-explanation, validity-overlap, directive.
std::string_view lint_check_name(LintCheck check);

struct LintFinding {
  LintCheck check = LintCheck::Conflict;
  Location at;   // in the compilation's SourceSet
  Message text;  // from the catalogue (runtime/messages.def): rendered in the reader's language
  Message hint;
  std::vector<std::string> rules;                   // the rules involved (for a conflict, both)
  std::vector<std::pair<Location, Message>> notes;  // e.g. where the other rule of a conflict is
  std::optional<smt::Witness> witness;              // a case showing it (conflict, validity overlap)
  bool justified = false;                           // a `# lint: ignore` comment gives a reason for it
  std::string reason;

  [[nodiscard]] std::string message_in(TextLang lang) const { return message_text(text, lang); }
  [[nodiscard]] std::string hint_in(TextLang lang) const {
    return hint.id == Msg::Count_ ? std::string() : message_text(hint, lang);
  }
};

struct LintOptions {
  unsigned timeout_ms = 60000;        // per solver question
  std::optional<std::int64_t> today;  // witnesses are dated this day when the finding allows it
  std::size_t max_conflicts_per_output = 64;
};

struct LintReport {
  std::vector<LintFinding> findings;  // in source order
  std::vector<Message> inconclusive;  // questions the solver gave up on within the time limit
  std::string error;                  // an internal failure (the solver's, or a witness the VM denies)

  [[nodiscard]] std::size_t unjustified() const;
};

// The compilation must have succeeded (model, program and sources set).
LintReport lint_rulebase(const Compilation& compilation, const LintOptions& options);

}  // namespace secretc
