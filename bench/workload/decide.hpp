// The peer workload's decision (WORKLOAD.md) written by hand in C++: the speed secretc is measured
// against. Fields are small integers in the order WORKLOAD.md lists each field's values.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace secretc::workload {

struct Case {
  std::uint8_t fonction = 0, secteur = 0, cadre = 0, nature = 0, situation = 0, destinataire = 0, procedure = 0,
               categorie = 0, concertation_base = 0, concertation_finalite = 0;
  bool confident_necessaire = false, relation_de_confiance = false, equipe = false, dest_tenu = false,
       dest_meme_mission = false, informe = false, accord = false, strict = false, interet = false,
       victime_mineur = false, victime_vulnerable = false, autres_a_risque = false, danger_grave = false,
       danger_actuel = false, protection_possible = false, interet_superieur = false, terrorisme_enquete = false,
       terrorisme_indices = false, demande_motivee = false, maltraitance = false, expose_client = false;
  std::int32_t date = 0;  // yyyymmdd
};

enum class Duty : std::uint8_t { Secret, Discretion, Aucune };
enum class Verdict : std::uint8_t { Garder, Peut, Doit };

struct Decision {
  Duty duty;
  Verdict verdict;
};

Decision decide(const Case& c);

// One JSON object of cases.jsonl (flat: strings, booleans, integers), parsed by hand for the fields
// above; nullopt if the line is not such an object.
std::optional<Case> parse_case_line(std::string_view line);

std::string_view duty_name(Duty d);
std::string_view verdict_name(Verdict v);

}  // namespace secretc::workload
