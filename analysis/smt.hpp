// Compiled rulebases as formulas, so that Z3 searches every case at once instead of enumerating them.
//
// A CaseSpace is the set of case files one or several programs can be given: one CaseFact per line a
// case may write (facts matched by name between programs, enumeration members by name), each line
// absent, written `?`, or written with a value. encode() executes a Program symbolically over it, one
// formula per instruction, mirroring runtime/vm.cpp's `run_abstract` (docs/language.md, "Answers under
// uncertainty"): a slot holds the set of values it may take over the completions of the case, rules
// fire, are set aside and apply in three values, outputs are settled or say what they may be. A case
// that gives every fact is the special case where every set has one value: the same formulas then give
// what `run_exact` gives. tests/compiler/smt_test.cpp checks the encoding against Machine::evaluate on
// random cases, with unknown facts and without.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <z3++.h>

#include "analysis/decompile.hpp"
#include "runtime/program.hpp"
#include "runtime/result.hpp"

namespace secretc::smt {

// A symbolic slot: what Machine::Abstract holds, as formulas. `absent`: the slot may be unknown (⊥).
//  - bool: `may` = { may be false, may be true };
//  - enumeration: `may` = one Bool per member it may be;
//  - set: `may` = the members it may hold, `sure` = those it holds for sure (never ⊥);
//  - integer, date, article, text: `some` = it may have a value, which is `value` when `exact`.
struct Sym {
  z3::expr absent;
  std::vector<z3::expr> may;
  std::vector<z3::expr> sure;
  z3::expr some;
  z3::expr exact;
  z3::expr value;
};

// A three-valued truth, as two Bools: True is (sure, may), Unknown (¬sure, may), False (¬sure, ¬may).
// `sure` implies `may`.
struct Tri {
  z3::expr sure;
  z3::expr may;
};

// One line a case file may write, shared by the programs. A program reads the line when it declares the
// fact with a compatible type and, for an enumeration written with a value, knows the member written;
// otherwise the program sees the line as absent (its default, or any value or ⊥).
struct CaseFact {
  std::string name;
  Type type;                          // as the first program declaring it has it
  std::vector<std::string> members;   // Enum: every program's members, by name
  bool always_written = false;        // a program defaults it to today: a witness always writes it
  std::vector<std::int64_t> fact_of;  // per program: its fact index, or -1
  z3::expr given;                     // the line is written
  z3::expr known;                     // ... with a value, rather than `?`
  z3::expr value;                     // Bool for booleans; Int otherwise (enum: index in members;
                                      // string: index in CaseSpace::strings, or an "other" text)
  std::vector<z3::expr> is;           // Enum: per member, the value is it (exactly one holds)
};

// One line of a witness case, as a case file writes it.
struct WitnessLine {
  std::string name;
  std::string value;           // `vrai`, a member, `2024-05-01`, `"371/1"`, `"texte"`, `?`
  std::vector<bool> readable;  // per program: it knows the fact (and the value, unless `?`)
};

struct Witness {
  std::vector<WitnessLine> lines;
  // The case file: comment lines (each prefixed with `# `), then one `name = value` per line.
  [[nodiscard]] std::string file_text(const std::vector<std::string>& comments) const;
  // The lines one program reads, as a case file (no comment).
  [[nodiscard]] std::string file_text_for(std::size_t program) const;
};

// Runs a program on the lines of a witness it reads, exactly as `check` runs a case file (parse_case,
// bind_case, the VM with the lines written): what the solver claims is only ever reported once the VM
// confirms it. nullopt (with the reason in `error`) if the witness does not bind, which would be a bug
// of the encoding.
std::optional<Result> run_witness(const Program& program, const Witness& witness, std::size_t index, std::int64_t today,
                                  std::string& error);

class CaseSpace {
 public:
  // today: the day a `today` default stands for when its line is not written; without it, any day.
  CaseSpace(z3::context& ctx, std::vector<const Program*> programs, std::optional<std::int64_t> today = std::nullopt);

  [[nodiscard]] const std::vector<CaseFact>& facts() const { return facts_; }
  [[nodiscard]] const std::vector<const Program*>& programs() const { return programs_; }
  // What every case satisfies: values in their domains, one line per name.
  [[nodiscard]] z3::expr domain() const;
  // The slots of a program's facts, in fact order: what each may hold given the case.
  [[nodiscard]] std::vector<Sym> fact_slots(std::size_t program) const;
  // The line of case fact f is written and this program reads it.
  [[nodiscard]] z3::expr read_by(std::size_t f, std::size_t program) const;
  // The case a model describes. Texts that are no program's constant are written as fresh ones.
  [[nodiscard]] Witness witness(const z3::model& model, Keywords keywords) const;

 private:
  z3::expr representable(const CaseFact& f, std::size_t program) const;
  z3::expr mapped_value(const CaseFact& f, std::size_t program) const;

  z3::context& ctx_;
  std::vector<const Program*> programs_;
  std::vector<CaseFact> facts_;
  std::vector<std::string> strings_;      // every program's string constants, each text once
  std::vector<std::string> other_texts_;  // one fresh text per string fact: "other" values
  z3::expr today_;                        // the day of a `today` default left unwritten
};

// One output's answer, as OutputValue gives it (runtime/result.hpp).
struct OutputSym {
  // Scalar outputs.
  z3::expr conflict;               // rules that apply for sure set different values
  z3::expr settled;                // every completion gives the same answer
  z3::expr known;                  // there is a value (to act on, while not settled)
  z3::expr value;                  // that value: a member index of the output's enumeration
  std::vector<z3::expr> possible;  // per member: some completion may give it
  z3::expr may_be_unknown;         // some completion leaves it without a value
  // Set outputs (`settled` too): per member, held for sure / maybe.
  std::vector<z3::expr> sure;
  std::vector<z3::expr> may;
};

struct ProgramSym {
  std::vector<Tri> fires;                // per rule: in force, its `quand` true and no proviso false
  std::vector<Tri> set_aside;            // per rule: some rule overriding it fires
  std::vector<Tri> applies;              // per rule: fires and is not set aside (Kleene's `et`)
  std::vector<std::optional<Sym>> when;  // per rule: its `quand` alone (nullopt: none, i.e. always)
  std::vector<z3::expr> stated;          // per proviso (program-wide numbers): the answer states it
  std::vector<OutputSym> outputs;
  std::vector<Sym> slots;  // every slot once the code has run (definitions keep their value)
};

ProgramSym encode(z3::context& ctx, const Program& program, std::vector<Sym> fact_slots);

// Two symbolic booleans may take the same values (false, true, ⊥) on a case.
z3::expr same_values(const Sym& a, const Sym& b);
// Two conditions make a rule fire alike on a case: true for sure on the same cases, possibly true on
// the same cases. What `fire` reads of a condition, nothing more.
z3::expr same_firing(const Sym& a, const Sym& b);

enum class Answer : std::uint8_t { Yes, No, Unknown };  // sat, unsat, or the solver gave up (time)

// Questions about a case space, each within a time limit.
class Search {
 public:
  Search(z3::context& ctx, const CaseSpace& space, unsigned timeout_ms);

  // A fresh constant equal to `e` on every case. Goals written over such names are small: the solver
  // takes in the formulas once, rather than at every question (each costs ~15 ms on the Belgian
  // rulebase otherwise).
  z3::expr name(const z3::expr& e);

  // Is there a case where `goal` holds?
  Answer exists(const z3::expr& goal);

  // A case where `goal` holds, minimal in the lines it writes: without any one of them (its fact then
  // takes its default, or is unknown), the goal no longer holds. Lines some program cannot read are
  // dropped first. Dates are set to `prefer_day` where the goal allows it, so that a witness reads like
  // a situation of that day rather than an arbitrary one. nullopt when there is none (answer No) or
  // the solver gave up (answer Unknown).
  std::optional<Witness> witness(const z3::expr& goal, Keywords keywords, std::optional<std::int64_t> prefer_day,
                                 Answer& answer);

  // Whether `e` holds on the case of the last witness found (false before any).
  bool holds_on_last_witness(const z3::expr& e);

 private:
  z3::context& ctx_;
  const CaseSpace& space_;
  z3::solver solver_;
  std::size_t names_ = 0;
  std::optional<z3::model> last_;  // the model the last witness was read from
};

}  // namespace secretc::smt
