// Money, mitigation, the backend list and job packing of the IonQ backend, against the
// loopback fake: quotes before sending and the money budget, costs after, explicit error
// mitigation, the backend list as the source of truth, and splitting by the API's limits.

#include <papillon/circuit/butterfly.hpp>
#include <papillon/data/masking.hpp>
#include <papillon/data/standardizer.hpp>
#include <papillon/data/synthetic_icu.hpp>
#include <papillon/eval/imputation_benchmark.hpp>
#include <papillon/eval/report_html.hpp>
#include <papillon/impute/neural_imputer.hpp>
#include <papillon/ionq/backend_catalog.hpp>
#include <papillon/ionq/ionq_backend.hpp>

#include <nlohmann/json.hpp>

#include <cmath>
#include <fstream>
#include <limits>
#include <memory>
#include <string>
#include <vector>

#include "support/catch.hpp"
#include "support/fake_ionq_server.hpp"
#include "support/ionq_test_support.hpp"

using namespace papillon;
using papillon::test::contains_substring;
using papillon::test::fake_ionq_server;
using papillon::test::virtual_clock;

namespace {

circuit small_circuit() {
  circuit c(3);
  c.x(0).rbs(0, 2, param(0)).ry(1, param(1));
  return c;
}

struct fixture {
  fake_ionq_server srv;
  virtual_clock clock;
  ionq::client_options copt;
  std::vector<std::string> lines;
  fixture() : copt(test::fake_client_options(srv, clock)) {
    copt.retry.jitter = ionq::seconds_d(0);
  }
  std::function<void(std::string_view)> logger() {
    return [this](std::string_view l) { lines.emplace_back(l); };
  }
  [[nodiscard]] bool logged(const std::string& part) const {
    for (const auto& l : lines)
      if (l.find(part) != std::string::npos) return true;
    return false;
  }
};

// The fake's quote of one circuit of the plan (its price list, as the server applies it).
double fake_quote(const fake_ionq_server::options& o, const std::string& backend,
                  const ionq::circuit_size& s, std::uint64_t shots, bool mitigated) {
  return o.prices.quote(backend, shots, s.gates_1q, s.gates_2q, mitigated);
}

}  // namespace

TEST_CASE("ionq cost: a run is quoted before sending, and a quote over budget sends nothing",
          "[ionq][cost]") {
  fixture f;
  const circuit c = small_circuit();
  std::vector<run_task> tasks(4, run_task{&c, {0.3, 0.2}});
  ionq::ionq_backend_options o;
  o.target = "qpu.forte-1";
  o.gateset = ionq_gateset::native_zz;
  o.log = f.logger();

  // Four identical circuits: one estimate call, four times its quote (minimum per circuit).
  ionq::ionq_backend probe(o, f.copt);
  const auto plan = probe.plan(tasks, run_options{200, 0});
  REQUIRE(plan.jobs.size() == 1);
  REQUIRE(plan.jobs[0].sizes.size() == 4);
  const double each = fake_quote({}, "qpu.forte-1", plan.jobs[0].sizes[0], 200, false);
  REQUIRE(each > 0);
  const auto est = probe.estimate(plan);
  CHECK(est.requests == 1);
  CHECK(est.unit == "usd");
  CHECK_THAT(est.total, Catch::Matchers::WithinRel(4 * each, 1e-12));
  CHECK(f.srv.count("GET", "/v0.4/jobs/estimate") == 1);
  const auto q = f.srv.requests().back();
  CHECK_THAT(q.path, contains_substring("backend=qpu.forte-1"));
  CHECK_THAT(q.path, contains_substring("shots=200"));
  CHECK_THAT(q.path, contains_substring("error_mitigation=false"));
  CHECK(q.header("Authorization") == "apiKey " + f.srv.api_key());

  SECTION("over the money budget: refused, no job sent") {
    o.budget.max_cost = 4 * each * 0.99;
    ionq::ionq_backend b(o, f.copt);
    try {
      b.run_batch(tasks, run_options{200, 0});
      FAIL("no exception");
    } catch (const backend_error& e) {
      CHECK_THAT(std::string(e.what()), contains_substring("money budget"));
      CHECK_THAT(std::string(e.what()), contains_substring("usd"));
    }
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 0);
    CHECK(b.spent() == ionq::budget_usage{});
  }
  SECTION("within budget: sent, quoted in the journal, cost read after") {
    test::temp_dir dir;
    o.budget.max_cost = 4 * each * 1.5;
    o.journal = dir.path / "j.jsonl";
    ionq::ionq_backend b(o, f.copt);
    b.run_batch(tasks, run_options{200, 0});
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 1);
    CHECK_THAT(b.spent().estimated_cost, Catch::Matchers::WithinRel(4 * each, 1e-12));
    CHECK_THAT(b.spent().cost, Catch::Matchers::WithinRel(4 * each, 1e-12));
    CHECK(b.spent().cost_unit == "usd");
    CHECK(f.srv.count("GET", "/v0.4/jobs/estimate") == 2);  // the probe's and this run's
    const auto e = ionq::job_journal(o.journal).find(b.last_plan().jobs[0].hash);
    REQUIRE(e);
    REQUIRE(e->cost);
    CHECK_THAT(*e->cost, Catch::Matchers::WithinRel(4 * each, 1e-12));
    CHECK(e->cost_unit == "usd");
    std::ifstream in(o.journal);
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    CHECK_THAT(text, contains_substring("\"estimated_cost\""));
    CHECK_THAT(text, contains_substring("\"event\":\"cost\""));
    CHECK(text.find(f.srv.api_key()) == std::string::npos);
    // A new batch over what is left of the budget is refused (the same batch again would be
    // reused from the journal, and cost nothing).
    const std::vector<run_task> other(4, run_task{&c, {0.4, 0.2}});
    CHECK_THROWS_AS(b.run_batch(other, run_options{200, 0}), backend_error);
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 1);
    // Resuming from the journal costs nothing new: the quote of reused jobs is not asked.
    ionq::ionq_backend again(o, f.copt);
    again.run_batch(tasks, run_options{200, 0});
    CHECK(again.spent() == ionq::budget_usage{});
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 1);
    for (const auto& l : f.lines) CHECK(l.find(f.srv.api_key()) == std::string::npos);
  }
  SECTION("a budget in another unit refuses before sending") {
    o.budget.max_cost = 1e9;
    o.budget.cost_unit = "credits";
    ionq::ionq_backend b(o, f.copt);
    CHECK_THROWS_WITH(b.run_batch(tasks, run_options{200, 0}), contains_substring("another unit"));
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 0);
  }
  SECTION("a dry run prints the quote and sends no job") {
    o.dry_run = true;
    o.track_cost = true;
    ionq::ionq_backend b(o, f.copt);
    b.run_batch(tasks, run_options{200, 0});
    CHECK_THAT(b.last_estimate().total, Catch::Matchers::WithinRel(4 * each, 1e-12));
    CHECK(f.logged("ionq (dry run): estimate"));
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 0);
    o.budget.max_cost = each;
    ionq::ionq_backend tight(o, f.copt);
    CHECK_THROWS_AS(tight.run_batch(tasks, run_options{200, 0}), backend_error);
  }
}

TEST_CASE("ionq cost: estimate and cost answers are parsed strictly", "[ionq][cost]") {
  const auto est = ionq::parse_cost_estimate(nlohmann::ordered_json::parse(
      R"({"estimated_cost": 12.5, "cost_unit": "USD", "estimated_execution_time": 3})"));
  CHECK(est.cost == 12.5);
  CHECK(est.unit == "usd");
  CHECK(est.seconds == 3.0);
  CHECK_THROWS_AS(
      ionq::parse_cost_estimate(nlohmann::ordered_json::parse(R"({"cost_unit":"usd"})")),
      backend_error);
  CHECK_THROWS_AS(
      ionq::parse_cost_estimate(nlohmann::ordered_json::parse(R"({"estimated_cost": -1})")),
      backend_error);
  const auto c = ionq::parse_job_cost(nlohmann::ordered_json::parse(
      R"({"dry_run": false, "estimated_cost": {"value": 24.83, "unit": "usd"},
          "cost": {"value": 20.5, "unit": "usd"}})"));
  CHECK(c.actual == 20.5);
  CHECK(c.estimated == 24.83);
  const auto pending = ionq::parse_job_cost(nlohmann::ordered_json::parse(
      R"({"estimated_cost": {"value": 1, "unit": "usd"}, "cost": null})"));
  CHECK_FALSE(pending.actual);
  CHECK_THROWS_AS(ionq::parse_job_cost(nlohmann::ordered_json::parse(
                      R"({"estimated_cost": {"value": 1, "unit": "usd"},
                          "cost": {"value": 1, "unit": "credits"}})")),
                  backend_error);
}

TEST_CASE("ionq mitigation: explicit settings, refused before sending when IonQ would not run them",
          "[ionq][mitigation]") {
  fixture f;
  const circuit c = small_circuit();
  std::vector<run_task> tasks(2, run_task{&c, {0.3, 0.2}});
  ionq::ionq_backend_options o;
  o.target = "qpu.forte-1";
  o.gateset = ionq_gateset::native_zz;

  SECTION("debiasing below 500 shots is refused with the reason, nothing sent") {
    o.mitigation.debiasing = true;
    ionq::ionq_backend b(o, f.copt);
    try {
      b.run_batch(tasks, run_options{499, 0});
      FAIL("no exception");
    } catch (const data_error& e) {
      CHECK_THAT(std::string(e.what()), contains_substring("at least 500 shots"));
      CHECK_THAT(std::string(e.what()), contains_substring("499 shots"));
    }
    CHECK(f.srv.requests().empty());
  }
  SECTION("debiasing on the simulator is refused") {
    o.target = "simulator";
    o.gateset = ionq_gateset::qis;
    o.mitigation.debiasing = true;
    ionq::ionq_backend b(o, f.copt);
    CHECK_THROWS_WITH(b.run_batch(tasks, run_options{1000, 0}), contains_substring("only on QPUs"));
    CHECK(f.srv.requests().empty());
  }
  SECTION("an aggregation without debiasing is refused") {
    o.mitigation.debiasing = false;
    o.mitigation.aggregation = ionq::result_aggregation::voting;
    ionq::ionq_backend b(o, f.copt);
    CHECK_THROWS_AS(b.run_batch(tasks, run_options{1000, 0}), data_error);
    CHECK(f.srv.requests().empty());
  }
  SECTION("debiasing, symmetry verification and voting are sent, and the plan says so") {
    o.mitigation.debiasing = true;
    o.mitigation.symmetry_verification = true;
    o.mitigation.aggregation = ionq::result_aggregation::voting;
    o.track_cost = true;
    ionq::ionq_backend b(o, f.copt);
    b.run_batch(tasks, run_options{600, 0});
    const auto posts = f.srv.requests();
    bool posted = false;
    bool voted = false;
    bool quoted_mitigated = false;
    for (const auto& r : posts) {
      if (r.method == "POST") {
        posted = true;
        const auto j = nlohmann::json::parse(r.body);
        CHECK(j["settings"]["error_mitigation"] ==
              nlohmann::json::parse(R"({"debiasing":true,"symmetry_verification":true})"));
      }
      if (r.path.find("/results/probabilities/aggregated?aggregation=voting") != std::string::npos)
        voted = true;
      if (r.path.find("/jobs/estimate") != std::string::npos &&
          r.path.find("error_mitigation=true") != std::string::npos)
        quoted_mitigated = true;
    }
    CHECK(posted);
    CHECK(voted);
    CHECK(quoted_mitigated);
    const auto m = b.last_plan().to_json()["mitigation"];
    CHECK(m["debiasing"] == true);
    CHECK(m["debiasing_source"] == "explicit");
    CHECK(m["symmetry_verification"] == true);
    CHECK(m["aggregation"] == "voting");
  }
  SECTION("unset debiasing is described as IonQ's default") {
    o.gateset = ionq_gateset::qis;
    ionq::ionq_backend b(o, f.copt);
    const auto m = b.plan(tasks, run_options{1000, 0}).mitigation;
    CHECK(m["debiasing"] == true);  // QIS on a QPU with >= 500 shots: IonQ debiases
    CHECK(m["debiasing_source"] == "ionq default");
    CHECK(b.plan(tasks, run_options{100, 0}).mitigation["debiasing"] == false);
    o.gateset = ionq_gateset::native_zz;
    ionq::ionq_backend native(o, f.copt);
    CHECK(native.plan(tasks, run_options{1000, 0}).mitigation["debiasing"] == false);
  }
}

TEST_CASE("ionq backends: the backend list is the source of truth", "[ionq][backends]") {
  fixture f;
  ionq::ionq_backend_options o;
  o.check_backend = true;
  o.pick_native_gateset = true;
  o.log = f.logger();

  SECTION("the native gate set of the device is picked") {
    o.target = "qpu.forte-1";
    o.gateset = ionq_gateset::qis;
    ionq::ionq_backend forte(o, f.copt);
    CHECK(forte.options().gateset == ionq_gateset::native_zz);
    CHECK(forte.info().max_qubits == 36);
    REQUIRE(forte.target_description());
    CHECK(forte.target_description()->characterization_id ==
          fake_ionq_server::forte_characterization_id);
    o.target = "qpu.aria-1";
    ionq::ionq_backend aria(o, f.copt);
    CHECK(aria.options().gateset == ionq_gateset::native_ms);
    CHECK(f.lines.empty());
  }
  SECTION("a circuit wider than the device is refused before sending") {
    o.target = "qpu.aria-1";
    ionq::ionq_backend aria(o, f.copt);
    circuit wide(26);
    wide.x(0).rbs(0, 25, 0.3);
    CHECK_THROWS_AS(aria.run(wide, {}, run_options{100, 0}), dimension_error);
    CHECK(f.srv.count("POST", "/v0.4/jobs") == 0);
  }
  SECTION("a retired or offline target is a warning; an unknown one an error") {
    f.srv.set_backend_status("qpu.aria-1", "retired");
    f.srv.set_backend_status("qpu.forte-1", "unavailable");
    o.target = "qpu.aria-1";
    ionq::ionq_backend aria(o, f.copt);
    CHECK(f.logged("qpu.aria-1' is retired"));
    o.target = "qpu.forte-1";
    ionq::ionq_backend forte(o, f.copt);
    CHECK(f.logged("qpu.forte-1' is unavailable (offline)"));
    o.target = "qpu.tempo-9";
    CHECK_THROWS_WITH(ionq::ionq_backend(o, f.copt), contains_substring("listed: qpu.forte-1"));
  }
  SECTION("the list needs no key") {
    ionq::client_options anon = f.copt;
    anon.api_key.clear();
    ionq::client cl(anon);
    CHECK(cl.backends().size() == 3);
    CHECK(f.srv.requests().back().header("Authorization").empty());
  }
  SECTION("the noisy-simulator preset comes from the characterization when there is one") {
    ionq::client cl(f.copt);
    std::string source;
    const noise_model forte = ionq::noise_preset_for(cl, "qpu.forte-1", &source);
    CHECK_THAT(source, contains_substring("characterization"));
    // Fidelities 0.9998 (1q), 0.9952 (2q), SPAM 0.995: r1 = 2(1 - F1), r2 = 4/3 (1 - F2).
    CHECK_THAT(forte.p1, Catch::Matchers::WithinRel(2 * 0.0002, 1e-9));
    CHECK_THAT(forte.p2, Catch::Matchers::WithinRel(4.0 / 3.0 * 0.0048, 1e-9));
    CHECK_THAT(forte.readout, Catch::Matchers::WithinRel(0.005, 1e-9));
    CHECK(forte.name == "qpu.forte-1@2026-06-16T00:00:00Z");
    const noise_model aria = ionq::noise_preset_for(cl, "qpu.aria-1", &source);
    CHECK(source == "preset aria-1");
    CHECK(aria == find_noise_model("aria-1"));
  }
}

TEST_CASE("ionq packing: native RBS circuits hit the gate limit before the circuit limit",
          "[ionq][batch]") {
  fixture f;
  const layered_circuit bf = butterfly(16);
  std::vector<double> theta(bf.num_parameters(), 0.3);
  circuit c(16);
  c.x(0);
  c.append(bf.body);
  const run_task one{&c, theta};
  ionq::ionq_backend_options o;  // IonQ's limits: 5,000 circuits, 150,000 gates per job
  o.target = "qpu.forte-1";
  o.gateset = ionq_gateset::native_zz;
  ionq::ionq_backend zz(o, f.copt);
  o.gateset = ionq_gateset::qis;
  ionq::ionq_backend qis(o, f.copt);
  const std::size_t g_zz = zz.plan(std::span(&one, 1), run_options{100, 0}).jobs[0].gates;
  const std::size_t g_qis = qis.plan(std::span(&one, 1), run_options{100, 0}).jobs[0].gates;
  REQUIRE(g_zz > g_qis);  // native RBS costs more gates than IonQ's compiler input
  // As many circuits as fit one QIS job: far below 5,000, above the native gate limit.
  const std::size_t n = 150000 / g_qis;
  REQUIRE(n < 5000);
  std::vector<run_task> tasks(n, one);
  CHECK(qis.plan(tasks, run_options{100, 0}).jobs.size() == 1);
  const auto plan = zz.plan(tasks, run_options{100, 0});
  const std::size_t per_job = 150000 / g_zz;
  CHECK(plan.jobs.size() == (n + per_job - 1) / per_job);
  CHECK(plan.jobs.size() > 1);
  std::size_t circuits = 0;
  for (const auto& j : plan.jobs) {
    CHECK(j.gates <= 150000);
    CHECK(j.circuits <= 5000);
    CHECK(j.first_task == circuits);
    circuits += j.circuits;
  }
  CHECK(circuits == n);
  // Both limits at once: the circuit limit binds first when it is the smaller.
  o.gateset = ionq_gateset::native_zz;
  const std::size_t cap = std::max<std::size_t>(1, per_job / 2);
  o.max_circuits_per_job = cap;
  ionq::ionq_backend both(o, f.copt);
  CHECK(both.plan(tasks, run_options{100, 0}).jobs.size() == (n + cap - 1) / cap);
  CHECK(f.srv.requests().empty());
}

TEST_CASE("ionq cost: training records circuits, shots, jobs and money per epoch",
          "[ionq][cost][impute]") {
  fixture f;
  const auto t =
      data::make_synthetic_icu({.rows = 40, .seed = 6}).select(data::synthetic_icu_targets());
  const data::cell_mask observed = t.observed();
  std::vector<index_t> cols(static_cast<std::size_t>(t.cols()));
  for (index_t j = 0; j < t.cols(); ++j) cols[j] = j;
  const data::cell_mask hidden = data::make_mcar_mask(observed, cols, {0.3, 7});
  const data::cell_mask visible = observed && !hidden;
  data::standardizer z;
  z.fit(t.values(), visible, {data::log1p_flags(t, data::synthetic_icu_skewed())});
  Eigen::MatrixXd input = z.transform(t.values());
  for (Eigen::Index i = 0; i < input.size(); ++i)
    if (!visible(i)) input(i) = std::numeric_limits<double>::quiet_NaN();

  ionq::ionq_backend_options bo;
  bo.target = "qpu.forte-1";
  bo.gateset = ionq_gateset::native_zz;
  bo.track_cost = true;
  auto ionq_b = std::make_shared<ionq::ionq_backend>(bo, f.copt);

  auto o = impute::qnn_imputer_options(8);
  o.schedule = train::hybrid_schedule::hardware;
  o.init = nn::quantum_init::zero_coupling;
  o.epochs = 2;
  o.copies = 1;
  o.validation_fraction = 0.0;
  o.batch_size = 40;
  train::hybrid_schedule_options so;
  so.epochs = 2;
  so.hardware_epochs = 2;
  o.schedule_options = so;
  o.training_backend = ionq_b;
  o.shots = 100;
  impute::neural_imputer m(o);
  m.fit(input, visible);
  const auto h = m.history();
  REQUIRE(h.usage.size() == h.train_loss.size());
  REQUIRE(h.usage.size() == 4);
  std::uint64_t jobs = 0;
  std::uint64_t micros = 0;
  for (std::size_t e = 0; e < h.usage.size(); ++e) {
    INFO("epoch " << e + 1 << ", stage " << h.stage[e]);
    const auto& u = h.usage[e];
    const bool on_backend = e >= 2;  // stage A simulates, stage B runs the coupling layer
    CHECK((u.at("circuits") > 0) == on_backend);
    CHECK((u.at("ionq_jobs") > 0) == on_backend);
    if (on_backend) {
      CHECK(u.at("shots") == u.at("circuits") * 100);
      CHECK(u.at("ionq_cost_usd_micros") > 0);
      CHECK(u.at("ionq_cost_usd_micros") == u.at("ionq_quote_usd_micros"));
    }
    jobs += u.at("ionq_jobs");
    micros += u.count("ionq_cost_usd_micros") ? u.at("ionq_cost_usd_micros") : 0;
  }
  const auto ev = m.evaluations();
  CHECK(ev.at("ionq_jobs") == jobs);
  CHECK(ev.at("ionq_jobs") == ionq_b->spent().jobs);
  CHECK(ev.at("ionq_cost_usd_micros") == micros);
  CHECK_THAT(static_cast<double>(micros) / 1e6,
             Catch::Matchers::WithinAbs(ionq_b->spent().cost, 1e-5));

  // The HTML report shows the table: one row per epoch, one per run.
  eval::benchmark_report rep;
  eval::method_report mr;
  mr.method = "qnn";
  eval::seed_result run;
  run.seed = 6;
  run.training = h;
  mr.runs.push_back(run);
  rep.methods.push_back(mr);
  const std::string html = eval::render_html_report(rep, {});
  CHECK_THAT(html, contains_substring("<h2>Hardware use</h2>"));
  CHECK_THAT(html, contains_substring("all epochs"));
  CHECK_THAT(html, contains_substring(" usd</td>"));
}
