#include "bench/workload/decide.hpp"

#include <array>
#include <charconv>

namespace secretc::workload {

namespace {

// Member indices, in WORKLOAD.md's order.
enum Fonction : std::uint8_t {
  medecin,
  chirurgien,
  pharmacien,
  sage_femme,
  psychologue,
  assistant_social,
  avocat,
  mediateur
};
enum Secteur : std::uint8_t { cpas, aide_a_la_jeunesse, centre_pms, mutualite };
enum Cadre : std::uint8_t { exercice_fonction, hors_fonction_identifie, vie_privee };
enum Nature : std::uint8_t { confidence, constat, administrative, medicale, etat_esprit, rapport_juge_jeunesse };
enum Situation : std::uint8_t {
  temoignage_en_justice,
  audition,
  demande_information,
  signalement,
  partage,
  concertation_de_cas
};
enum Destinataire : std::uint8_t {
  juge_instruction,
  tribunal,
  police,
  procureur_du_roi,
  collegue,
  hierarchie,
  service_maltraitance
};
enum Procedure : std::uint8_t { penale, civile };
enum Categorie : std::uint8_t { cat_aucune, liste_458bis };
enum Base : std::uint8_t { loi, base_aucune, autorisation };
enum Finalite : std::uint8_t { integrite, terrorisme, criminalite_organisee };

}  // namespace

Decision decide(const Case& c) {
  const bool bound = c.fonction <= sage_femme || c.secteur <= centre_pms ||
                     (c.confident_necessaire && c.relation_de_confiance) || c.equipe;
  if (c.cadre == vie_privee) return {Duty::Aucune, Verdict::Peut};
  const bool partage_maltraitance = c.situation == partage && c.destinataire == service_maltraitance && c.maltraitance;
  if (!bound) return {Duty::Discretion, partage_maltraitance ? Verdict::Peut : Verdict::Garder};
  const bool securite_sociale = c.secteur == cpas || c.secteur == mutualite;
  const bool lawyer_block = c.fonction == avocat && c.expose_client;
  const bool o1 = securite_sociale && c.situation == demande_information && c.destinataire == procureur_du_roi &&
                  c.terrorisme_enquete && c.demande_motivee && c.nature == administrative;
  const bool o2 =
      securite_sociale && c.situation == signalement && c.terrorisme_indices && c.date >= 20170517 && c.date < 20190314;
  if (o1 || o2) return {Duty::Secret, Verdict::Doit};
  const bool e1 = c.situation == temoignage_en_justice &&
                  (c.destinataire == juge_instruction || c.destinataire == tribunal) &&
                  !(c.fonction == mediateur && c.procedure == civile) && c.nature != rapport_juge_jeunesse;
  const bool e2 = c.situation == signalement && c.destinataire == procureur_du_roi && c.categorie == liste_458bis &&
                  (c.victime_mineur || c.victime_vulnerable) && (c.danger_grave || c.autres_a_risque) &&
                  !c.protection_possible && !lawyer_block;
  const bool e3 = c.situation == signalement && (c.destinataire == police || c.destinataire == procureur_du_roi) &&
                  c.danger_grave && c.danger_actuel && !c.protection_possible && c.interet_superieur;
  const bool e4 = c.situation == concertation_de_cas && c.date >= 20170706 &&
                  (c.concertation_base == loi || c.concertation_base == autorisation) &&
                  c.concertation_finalite <= criminalite_organisee && !lawyer_block;
  const bool e5 = c.situation == partage && c.destinataire == collegue && c.dest_tenu && c.dest_meme_mission &&
                  c.informe && c.accord && c.strict && c.interet;
  const bool e7 = c.situation == partage && c.destinataire == hierarchie && c.dest_tenu && c.strict;
  return {Duty::Secret, e1 || e2 || e3 || e4 || e5 || partage_maltraitance || e7 ? Verdict::Peut : Verdict::Garder};
}

namespace {

template <std::size_t N>
std::optional<std::uint8_t> index_of(std::string_view v, const std::array<std::string_view, N>& names) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == v) return static_cast<std::uint8_t>(i);
  }
  return std::nullopt;
}

constexpr std::array<std::string_view, 12> kFonctions{"medecin",     "chirurgien",       "pharmacien", "sage_femme",
                                                      "psychologue", "assistant_social", "avocat",     "mediateur",
                                                      "enseignant",  "secretaire",       "artisan",    "voisin"};
constexpr std::array<std::string_view, 8> kSecteurs{"cpas",          "aide_a_la_jeunesse", "centre_pms", "mutualite",
                                                    "sante_mentale", "enseignement",       "prive",      "aucun"};
constexpr std::array<std::string_view, 3> kCadres{"exercice_fonction", "hors_fonction_identifie", "vie_privee"};
constexpr std::array<std::string_view, 6> kNatures{"confidence", "constat",     "administrative",
                                                   "medicale",   "etat_esprit", "rapport_juge_jeunesse"};
constexpr std::array<std::string_view, 6> kSituations{"temoignage_en_justice", "audition", "demande_information",
                                                      "signalement",           "partage",  "concertation_de_cas"};
constexpr std::array<std::string_view, 10> kDestinataires{"juge_instruction",
                                                          "tribunal",
                                                          "police",
                                                          "procureur_du_roi",
                                                          "collegue",
                                                          "hierarchie",
                                                          "service_maltraitance",
                                                          "participants_concertation",
                                                          "presse",
                                                          "autre"};
constexpr std::array<std::string_view, 2> kProcedures{"penale", "civile"};
constexpr std::array<std::string_view, 4> kCategories{"aucune", "liste_458bis", "terrorisme", "autre"};
constexpr std::array<std::string_view, 3> kBases{"loi", "aucune", "autorisation"};
constexpr std::array<std::string_view, 4> kFinalites{"integrite", "terrorisme", "criminalite_organisee", "autre"};

// Sets one field from its key and raw value (a string's content, `true`/`false`, or digits).
bool set_field(Case& c, std::string_view key, std::string_view value, bool is_string) {
  const auto member = [&](std::uint8_t& field, const auto& names) {
    const auto i = is_string ? index_of(value, names) : std::nullopt;
    if (i) field = *i;
    return i.has_value();
  };
  const auto boolean = [&](bool& field) {
    if (is_string || (value != "true" && value != "false")) return false;
    field = value == "true";
    return true;
  };
  if (key == "fonction") return member(c.fonction, kFonctions);
  if (key == "secteur") return member(c.secteur, kSecteurs);
  if (key == "cadre") return member(c.cadre, kCadres);
  if (key == "nature") return member(c.nature, kNatures);
  if (key == "situation") return member(c.situation, kSituations);
  if (key == "destinataire") return member(c.destinataire, kDestinataires);
  if (key == "procedure") return member(c.procedure, kProcedures);
  if (key == "categorie") return member(c.categorie, kCategories);
  if (key == "concertation_base") return member(c.concertation_base, kBases);
  if (key == "concertation_finalite") return member(c.concertation_finalite, kFinalites);
  if (key == "date") {
    if (is_string) return false;
    const auto r = std::from_chars(value.data(), value.data() + value.size(), c.date);
    return r.ec == std::errc() && r.ptr == value.data() + value.size();
  }
  static constexpr std::array<std::pair<std::string_view, bool Case::*>, 21> kBools{
      {{"confident_necessaire", &Case::confident_necessaire},
       {"relation_de_confiance", &Case::relation_de_confiance},
       {"equipe", &Case::equipe},
       {"dest_tenu", &Case::dest_tenu},
       {"dest_meme_mission", &Case::dest_meme_mission},
       {"informe", &Case::informe},
       {"accord", &Case::accord},
       {"strict", &Case::strict},
       {"interet", &Case::interet},
       {"victime_mineur", &Case::victime_mineur},
       {"victime_vulnerable", &Case::victime_vulnerable},
       {"autres_a_risque", &Case::autres_a_risque},
       {"danger_grave", &Case::danger_grave},
       {"danger_actuel", &Case::danger_actuel},
       {"protection_possible", &Case::protection_possible},
       {"interet_superieur", &Case::interet_superieur},
       {"terrorisme_enquete", &Case::terrorisme_enquete},
       {"terrorisme_indices", &Case::terrorisme_indices},
       {"demande_motivee", &Case::demande_motivee},
       {"maltraitance", &Case::maltraitance},
       {"expose_client", &Case::expose_client}}};
  for (const auto& [name, field] : kBools) {
    if (name == key) return boolean(c.*field);
  }
  return false;
}

}  // namespace

std::optional<Case> parse_case_line(std::string_view s) {
  Case c;
  std::size_t i = 0;
  const auto skip = [&] {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\r')) ++i;
  };
  skip();
  if (i >= s.size() || s[i++] != '{') return std::nullopt;
  for (;;) {
    skip();
    if (i < s.size() && s[i] == '}') return c;
    if (i >= s.size() || s[i++] != '"') return std::nullopt;
    const std::size_t key_start = i;
    while (i < s.size() && s[i] != '"') ++i;
    if (i >= s.size()) return std::nullopt;
    const std::string_view key = s.substr(key_start, i++ - key_start);
    skip();
    if (i >= s.size() || s[i++] != ':') return std::nullopt;
    skip();
    std::string_view value;
    bool is_string = false;
    if (i < s.size() && s[i] == '"') {
      const std::size_t start = ++i;
      while (i < s.size() && s[i] != '"') ++i;
      if (i >= s.size()) return std::nullopt;
      value = s.substr(start, i++ - start);
      is_string = true;
    } else {
      const std::size_t start = i;
      while (i < s.size() && s[i] != ',' && s[i] != '}' && s[i] != ' ') ++i;
      value = s.substr(start, i - start);
    }
    if (!set_field(c, key, value, is_string)) return std::nullopt;
    skip();
    if (i < s.size() && s[i] == ',') {
      ++i;
      continue;
    }
    if (i < s.size() && s[i] == '}') return c;
    return std::nullopt;
  }
}

std::string_view duty_name(Duty d) {
  static constexpr std::array<std::string_view, 3> kNames{"secret", "discretion", "aucune"};
  return kNames[static_cast<std::size_t>(d)];
}

std::string_view verdict_name(Verdict v) {
  static constexpr std::array<std::string_view, 3> kNames{"garder", "peut", "doit"};
  return kNames[static_cast<std::size_t>(v)];
}

}  // namespace secretc::workload
