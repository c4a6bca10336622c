// What a new version of a rulebase changes: in its text (rules, definitions, vocabulary, matched by
// name) and in its behaviour (the cases that get another answer, with a witness case for each kind of
// change and each of its causes: the changed rule or declaration that makes the difference). Works on
// compiled programs, so that rule sources and `.secbc` files are compared alike.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "analysis/decompile.hpp"
#include "analysis/smt.hpp"
#include "runtime/program.hpp"

namespace secretc {

struct DiffOptions {
  std::string old_label = "OLD";  // how witnesses and reports name the two versions (their paths)
  std::string new_label = "NEW";
  std::string old_check = "secretc check --rules OLD";  // the command a witness says to check it with
  std::string new_check = "secretc check --rules NEW";
  unsigned timeout_ms = 60000;              // per solver question
  std::size_t max_changes_per_output = 16;  // kinds of change looked for per output, at most
  std::size_t max_causes_per_kind = 4;      // witnesses of one kind of change, one per cause, at most
  std::int64_t today = 0;                   // the day witnesses are dated when the change allows it
  std::optional<Keywords> keywords;         // the rule files' language when known; else guessed from the text
};

// One clause of a rule (or one property of a definition, fact, output, enumeration) in both versions.
struct ClauseChange {
  std::string clause;  // kind, title, cite, validity, overrides, when, provided, then, because, note;
                       // or for the vocabulary: type, default, question, members, body, in doubt,
                       // version, name, as of
  std::string old_text, new_text;
  bool same_meaning = false;  // `when` / a definition's body: written otherwise, same truth on every case
  // The texts differ only inside sets written `{ … }` (a named set, `x dans { … }`): the items each
  // lost and gained, in the order written.
  std::vector<std::string> items_removed, items_added;
};

// A rule shown whole, clause by clause, in the order a rule file writes them.
struct RuleText {
  std::string name;
  std::string where;                                         // file:line, when the program knows it
  bool warning = false;                                      // an `avertissement`: it decides nothing
  std::vector<std::pair<std::string, std::string>> clauses;  // `provided`: one proviso per line
};

struct RuleChange {
  std::string name;
  std::string where;  // in the new version
  std::vector<ClauseChange> changes;
};

// A fact, definition, output or enumeration added, removed or changed; or the rulebase's header.
struct VocabularyChange {
  std::string kind;  // fact, definition, output, enum, rulebase
  std::string name;
  std::string change;                 // added, removed, changed
  std::vector<ClauseChange> details;  // changed: what; added/removed: its declaration (clause "declaration")
};

// How one version answers one output on a witness, and which rules made it so.
struct Decision {
  std::string value;  // scalar: the value to act on (settled, or first possible of
                      // `dans le doute`), empty when none; set: `{ a, b }`, held for sure
  bool conflict = false;
  bool settled = true;                  // every completion of the case gives this answer
  std::vector<std::string> possible;    // scalar, not settled: every member some completion may give
                                        // (set: every member it may hold)
  bool may_be_unknown = false;          // scalar, not settled: some completion gives no value
  std::string holds;                    // set: the member shown holds `yes`, `maybe` or `no`
  bool by_default = false;              // no rule decided; the output's default stands
  std::vector<std::string> decided_by;  // rules that apply for sure and set it (for a set: add the member)
  std::vector<std::string> may_decide;  // rules that may apply and set it (or add the member)
  std::vector<std::pair<std::string, std::string>> set_aside;  // (rule that would have, rule overriding it)
  std::vector<std::string> conflicting;                        // the two rules of a conflict
  std::vector<std::string> provisos;  // scalar: the provisos the answer states, of rules setting it
};

// An answer in one line: `peut_reveler`, `(conflict)`, `(unknown)`, or while not settled
// `garder_le_secret (not settled: garder_le_secret, peut_reveler or none)`; then the provisos stated.
std::string answer_text(const Decision& d, bool provisos = true);

// One change between the versions that makes a behavioural change happen on its witness: a rule added,
// removed or changed (in what it decides: its kind, period, `prime sur`, `quand`, provisos, `alors`),
// or a definition, fact, output or enumeration changed, that a rule deciding the output reads.
struct CauseItem {
  std::string kind;  // rule, definition, fact, output, enum
  std::string name;
  std::string change;  // added, removed, changed
  friend bool operator==(const CauseItem&, const CauseItem&) = default;
  friend auto operator<=>(const CauseItem&, const CauseItem&) = default;
};

struct BehaviourChange {
  std::string output;
  bool set = false;
  std::string member;          // set: the member whose holding changes
  bool member_added = false;   // set: NEW holds it more surely than OLD (no < maybe < yes)
  std::string proviso;         // scalar, the same answer in both: the proviso one version states only
  bool proviso_added = false;  // ... NEW states it
  Decision old_side, new_side;
  smt::Witness witness;
  // What makes the difference on the witness, sorted; empty when no changed rule or declaration
  // explains it (never expected: a bug of the tracing, reported as such).
  std::vector<CauseItem> cause;
  std::string file_name;  // `<n>_<output>_<old>_to_<new>.fact`, `<n>_<output>_<member>_added.fact`,
                          // `<n>_<output>_proviso_added.fact`
  std::string case_file;  // the witness as a case file, with comments saying what it shows
};

struct ProgramHeader {
  std::string label, name, version, hash;
};

struct DiffReport {
  Keywords keywords = Keywords::French;
  ProgramHeader old_header, new_header;
  std::vector<VocabularyChange> vocabulary;
  std::vector<RuleText> added, removed;
  std::vector<RuleChange> changed;
  std::vector<BehaviourChange> behaviour;  // grouped by cause, the causes in the order first found
  // The causes, in that order; per cause, the indices of its changes in `behaviour`.
  std::vector<std::pair<std::vector<CauseItem>, std::vector<std::size_t>>> causes;
  std::vector<std::string> inconclusive;  // outputs for which the solver gave up within the time limit
  std::vector<std::string> truncated;     // outputs with more kinds of change than were looked for
  std::vector<std::string> incomparable;  // outputs in both versions but of another kind (scalar / set)

  [[nodiscard]] bool behaviour_differs() const { return !behaviour.empty(); }
  [[nodiscard]] bool text_differs() const {
    return !vocabulary.empty() || !added.empty() || !removed.empty() || !changed.empty();
  }
};

// A cause in one line, as the report heads its group: `règle accord_de_la_personne (changed)`,
// `definition tenu (changed: mediator removed)`; several items joined by `, `.
std::string cause_text(const DiffReport& report, const std::vector<CauseItem>& cause);

// Compares two programs. The error is a message for an internal failure (a solver error, or a witness
// the VM does not confirm — a bug of the encoding, never of the rulebases).
std::variant<DiffReport, std::string> diff_programs(const Program& old_program, const Program& new_program,
                                                    const DiffOptions& options);

}  // namespace secretc
