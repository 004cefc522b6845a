// `papillon run --backend ionq` (docs/cli.md, docs/ionq.md).

#include "cli/run_ionq.hpp"

#include <papillon/io/run_result_json.hpp>
#include <papillon/ionq/ionq_api_key.hpp>
#include <papillon/ionq/ionq_backend.hpp>
#include <papillon/sim/simulator.hpp>

#include <CLI/CLI.hpp>

#include <iostream>
#include <optional>
#include <string>

#include "cli/cli_util.hpp"

namespace papillon::cli {

void add_ionq_run_options(CLI::App* sub, ionq_run_options& o) {
  sub->add_option("--ionq-url", o.url, with_default("IonQ API base URL", ionq::default_base_url));
  sub->add_option("--ionq-target", o.target,
                  with_default("IonQ backend: simulator, qpu.aria-1, qpu.forte-1, ...", o.target));
  std::vector<std::string> gatesets{std::string(gateset_from_backend)};
  for (const auto& e : ionq_gateset_names.entries) {
    gatesets.emplace_back(e.name);
    for (const auto& a : e.aliases)
      if (!a.empty()) gatesets.emplace_back(a);
  }
  sub->add_option("--gateset", o.gateset,
                  with_default("IonQ gate set: " + ionq_gateset_names.names_text(", ", ", ") +
                                   " or native (the target's own, from GET /backends)",
                               o.gateset))
      ->check(CLI::IsMember(gatesets));
  sub->add_flag("--dry-run", o.dry_run,
                "With --backend ionq: print the job payloads, send nothing");
  sub->add_option("--ionq-key-file", o.key_file,
                  "File holding the IonQ API key (mode 600); default: IONQ_API_KEY");
  sub->add_option("--ionq-journal", o.journal,
                  "Job journal file: resumes an interrupted run instead of paying again");
  add_bounded(sub, "--ionq-max-shots", o.max_shots,
              "Budget guard: refuse a run above this many shots", std::uint64_t{1},
              limits::ionq_max_shots);
  add_bounded(sub, "--ionq-timeout", o.timeout,
              "Seconds allowed for the whole IonQ run, submission, polling and results included "
              "(a journaled run resumes the job after a timeout)",
              min_ionq_timeout, max_ionq_timeout);
  sub->add_option("--ionq-max-cost", o.max_cost,
                  "Money budget: refuse a run whose IonQ quote (GET /jobs/estimate) would take "
                  "the spending above this amount, in the unit IonQ quotes in (dry runs "
                  "included); implies --ionq-estimate")
      ->check(bounded(0.0, limits::ionq_max_cost))
      ->each([&o](const std::string&) { o.has_max_cost = true; });
  sub->add_option("--ionq-cost-unit", o.cost_unit,
                  "The unit of --ionq-max-cost (e.g. usd); a quote in another unit refuses the "
                  "run. Default: the unit IonQ quotes in")
      ->check(CLI::IsMember({"usd", "credits"}));
  sub->add_flag("--ionq-estimate", o.estimate,
                "Quote every job before sending and read its cost after (needs the key, also "
                "with --dry-run)");
  sub->add_flag("--ionq-check-backend", o.check_backend,
                "Read GET /backends first: refuse circuits wider than the device, warn on a "
                "retired or offline target (implied by --gateset native)");
  const std::vector<std::string> tri{"on", "off", "default"};
  sub->add_option("--ionq-debiasing", o.debiasing,
                  with_default("IonQ debiasing: on, off or default (IonQ's: on for QIS jobs of "
                               ">= 500 shots on a QPU); on needs a QPU and >= 500 shots",
                               o.debiasing))
      ->check(CLI::IsMember(tri));
  sub->add_option(
         "--ionq-symmetry-verification", o.symmetry_verification,
         with_default("IonQ symmetry verification: on, off or default", o.symmetry_verification))
      ->check(CLI::IsMember(tri));
  sub->add_option("--ionq-aggregation", o.aggregation,
                  with_default("How debiased results are combined: " +
                                   ionq::result_aggregation_names.names_text(", ", " or "),
                               o.aggregation))
      ->check(one_of_enum<ionq::result_aggregation>());
}

namespace {

ionq::error_mitigation mitigation_of(const ionq_run_options& o) {
  const auto tri = [](const std::string& v) -> std::optional<bool> {
    if (v == "default") return std::nullopt;
    return v == "on";
  };
  ionq::error_mitigation m;
  m.debiasing = tri(o.debiasing);
  m.symmetry_verification = tri(o.symmetry_verification);
  m.aggregation = parse_enum<ionq::result_aggregation>(o.aggregation, "cli");
  return m;
}

}  // namespace

void check_no_ionq_options(const CLI::App& sub) {
  for (const char* name :
       {"--ionq-url", "--ionq-target", "--gateset", "--dry-run", "--ionq-key-file",
        "--ionq-journal", "--ionq-max-shots", "--ionq-timeout", "--ionq-max-cost",
        "--ionq-cost-unit", "--ionq-estimate", "--ionq-check-backend", "--ionq-debiasing",
        "--ionq-symmetry-verification", "--ionq-aggregation"})
    if (sub.get_option(name)->count() > 0)
      throw data_error("cli", std::string(name) + " needs --backend ionq",
                       "without it the option would be ignored");
}

std::shared_ptr<ionq::ionq_backend> make_ionq_backend(const ionq_run_options& o,
                                                      const std::string& noise) {
  // One process holds the key, the client and the journal: no job is sent or paid twice.
  require_single_rank("cli", "the IonQ backend");
  ionq::ionq_backend_options bo;
  bo.target = o.target;
  const bool native_from_list = o.gateset == gateset_from_backend;
  bo.gateset = native_from_list ? ionq_gateset::qis : parse_ionq_gateset(o.gateset);
  bo.check_backend = o.check_backend || native_from_list;
  bo.pick_native_gateset = native_from_list;
  bo.mitigation = mitigation_of(o);
  bo.track_cost = o.estimate;
  if (o.has_max_cost) bo.budget.max_cost = o.max_cost;
  bo.budget.cost_unit = o.cost_unit;
  bo.noise_model = noise;
  bo.dry_run = o.dry_run;
  bo.journal = o.journal;
  bo.budget.max_shots = o.max_shots;
  bo.log = [](std::string_view line) { std::cerr << line << '\n'; };
  ionq::client_options co;
  if (!o.url.empty()) co.base_url = o.url;
  co.total_deadline = ionq::seconds_d(o.timeout);
  co.log = bo.log;
  check_writable("--ionq-journal", o.journal);
  if (!o.key_file.empty()) check_readable("--ionq-key-file", o.key_file);
  // A dry run needs the key only to ask for quotes.
  if (!o.dry_run || bo.track_cost || bo.budget.max_cost)
    co.api_key = ionq::load_api_key(
        o.key_file.empty() ? std::nullopt : std::optional<std::filesystem::path>(o.key_file));
  // The backend's own checks of target, gate set and noise model, named by their options.
  std::string given = "--ionq-target " + o.target + ", --gateset " + o.gateset;
  if (o.debiasing != "default") given += ", --ionq-debiasing " + o.debiasing;
  if (!noise.empty()) given += ", --noise " + noise;
  return about_option(given, [&] { return std::make_shared<ionq::ionq_backend>(bo, co); });
}

nlohmann::ordered_json ionq_report_json(const ionq::ionq_backend& b, std::uint64_t shots) {
  const auto& bo = b.options();
  nlohmann::ordered_json j;
  j["target"] = bo.target;
  j["gateset"] = std::string(ionq_gateset_name(bo.gateset));
  j["mitigation"] = ionq::describe(bo.mitigation, bo.target, bo.gateset, shots);
  const ionq::budget_usage& s = b.spent();
  j["spent"] = {{"jobs", s.jobs}, {"shots", s.shots}, {"circuits", s.circuits}};
  if (b.tracks_cost()) {
    j["spent"]["estimated"] = s.estimated_cost;
    j["spent"]["cost"] = s.cost;
    j["spent"]["unit"] = s.cost_unit;
  }
  return j;
}

nlohmann::ordered_json run_on_ionq(const ionq_run_options& o, ionq::ionq_backend& b,
                                   const circuit& c, const std::vector<double>& params,
                                   std::uint64_t shots, std::uint64_t seed) {
  const run_task task{&c, params};
  const run_options ro{shots, seed};
  const ionq::job_plan plan = b.plan(std::span<const run_task>(&task, 1), ro);
  // The budget is the user's own limit on this run: going over it is bad input (exit 2), found
  // before anything is sent, and a dry run answers whether the real run would be allowed.
  try {
    b.check_budget(plan.total_shots, plan.total_circuits);
  } catch (const backend_error& e) {
    throw data_error("cli", e.what(), "--ionq-max-shots " + std::to_string(o.max_shots));
  }
  // The quote, checked against the money budget before anything is sent (the run asks again
  // from its cache, so the server is asked once per distinct circuit).
  std::optional<ionq::run_estimate> est;
  if (b.tracks_cost()) {
    est = b.estimate(plan);
    std::cerr << "ionq: estimate " << ionq::format_money(est->total, est->unit) << " for "
              << plan.jobs.size() << " job(s)\n";
    try {
      b.check_cost_budget(est->total, est->unit);
    } catch (const backend_error& e) {
      throw data_error("cli", e.what(), "--ionq-max-cost " + std::to_string(o.max_cost));
    }
  }
  if (o.dry_run) {
    nlohmann::ordered_json doc;
    doc["dry_run"] = true;
    doc["backend"] = b.info().name;
    const auto p = plan.to_json();
    doc["jobs"] = p["jobs"];
    doc["total_shots"] = p["total_shots"];
    doc["total_circuits"] = p["total_circuits"];
    doc["mitigation"] = plan.mitigation;
    if (est) doc["estimate"] = est->to_json();
    return doc;
  }
  const run_result r = b.run(c, params, ro);
  nlohmann::ordered_json doc;
  doc["qubits"] = c.num_qubits();
  doc["mode"] = std::string(name_of(simulation_mode::full));
  doc["backend"] = b.info().name;
  doc.update(to_json(r));
  doc["mitigation"] = plan.mitigation;
  if (est) {
    doc["estimate"] = est->to_json();
    const ionq::budget_usage& s = b.spent();
    doc["cost"] = {{"jobs", s.jobs},
                   {"estimated", s.estimated_cost},
                   {"actual", s.cost},
                   {"unit", s.cost_unit}};
  }
  return doc;
}

}  // namespace papillon::cli
