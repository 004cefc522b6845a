"""The core of the Python module: circuits, simulation, gradients, backends, errors."""

import json

import numpy as np
import pytest

import papillon


def butterfly_params(n, seed=3):
    lc = papillon.butterfly(n)
    return lc, np.random.default_rng(seed).uniform(-np.pi, np.pi, lc.num_parameters)


def test_circuit_building_and_json_round_trip(tmp_path):
    c = papillon.Circuit(3)
    c.h(0).cnot(0, 1).rbs(1, 2, papillon.Param(0, 0.5)).ry(2, 0.25).rz(0, papillon.Param(1))
    assert len(c) == 5 and c.num_qubits == 3 and c.num_parameters == 2
    assert c.operations[2] == {"gate": "rbs", "qubits": (1, 2), "param": 0, "scale": 0.5}
    assert papillon.Circuit.from_json(c.to_json()) == c
    assert json.loads(c.to_json())["format"] == "papillon.circuit.v1"
    path = tmp_path / "c.json"
    c.write(str(path))
    assert papillon.Circuit.read(str(path)) == c


def test_bind_replaces_parameters_by_their_values():
    lc, theta = butterfly_params(8)
    c = papillon.loader([0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8])
    c.append(lc.circuit)
    bound = c.bind(theta)
    assert bound.num_parameters == 0
    free = papillon.simulate_probabilities(c, theta).values
    fixed = papillon.simulate_probabilities(bound).values
    np.testing.assert_allclose(free, fixed, atol=1e-14)


def test_builders_and_loaders():
    b = papillon.butterfly(8)
    assert b.depth == 3 and b.num_parameters == 12 and len(b.layers) == 3
    assert [len(layer["pairs"]) for layer in b.layers] == [4, 4, 4]
    assert papillon.pyramid(4).num_parameters == 6
    assert papillon.x_circuit(4).num_gates > 0
    x = np.array([3.0, -1.0, 2.0, 0.5])
    for kind in ("parallel", "diagonal", "semi-diagonal"):
        amps = papillon.amplitudes(papillon.loader(x, kind), mode="subspace")
        assert amps.mode == "subspace" and amps.weight == 1
        np.testing.assert_allclose(amps.values.real, x / np.linalg.norm(x), atol=1e-12)
    assert papillon.amplitudes(papillon.loader(x)).basis == [1, 2, 4, 8]


def test_unary_matrix_is_orthogonal():
    lc, theta = butterfly_params(16)
    w = lc.circuit.unary_matrix(theta)
    np.testing.assert_allclose(w.T @ w, np.eye(16), atol=1e-12)


def test_full_and_subspace_simulation_agree():
    lc, theta = butterfly_params(8)
    c = papillon.loader(np.arange(1.0, 9.0))
    c.append(lc.circuit)
    full = papillon.simulate_probabilities(c, theta, mode="full")
    sub = papillon.simulate_probabilities(c, theta, mode="subspace")
    assert full.mode == "full" and sub.mode == "subspace" and len(full) == 256 and len(sub) == 8
    np.testing.assert_allclose(full.values[sub.basis], sub.values, atol=1e-12)
    assert sum(sub.to_dict().values()) == pytest.approx(1.0)
    amps_full = papillon.amplitudes(c, theta, mode="full")
    amps_sub = papillon.amplitudes(c, theta, mode="subspace")
    np.testing.assert_allclose(amps_full.values[amps_sub.basis], amps_sub.values, atol=1e-12)
    np.testing.assert_allclose(np.abs(amps_sub.values) ** 2, sub.values, atol=1e-12)


def test_results_are_numpy_views_without_copies():
    lc, theta = butterfly_params(8)
    c = papillon.loader(np.arange(1.0, 9.0))
    c.append(lc.circuit)
    p = papillon.simulate_probabilities(c, theta)
    v = p.values
    assert not v.flags.owndata and v.base is not None
    assert v.__array_interface__["data"][0] == p.values.__array_interface__["data"][0]
    g = papillon.gradient(c, theta, [1.0] * 8)
    assert not g.gradient.flags.owndata
    amps = papillon.amplitudes(c, theta)
    assert not amps.values.flags.owndata and amps.values.dtype == np.complex128


def test_sampling_is_seeded():
    c = papillon.Circuit(2).h(0).cnot(0, 1)
    a = papillon.simulate_counts(c, shots=500, seed=7)
    b = papillon.simulate_counts(c, shots=500, seed=7)
    assert a.to_dict() == b.to_dict()
    assert set(a.to_dict()) == {0, 3} and sum(a.to_dict().values()) == 500


def test_gradient_methods_agree_and_report_their_ledger():
    lc, theta = butterfly_params(8)
    c = papillon.loader(np.linspace(0.2, 1.0, 8))
    c.append(lc.circuit)
    obs = list(np.linspace(-1.0, 1.0, 8))
    adjoint = papillon.gradient(c, theta, obs, method="adjoint")
    assert adjoint.method == "adjoint" and adjoint.evaluations.circuits == 0
    backend = papillon.SimulatorBackend()
    for method in ("shift", "finite"):
        r = papillon.gradient(c, theta, obs, backend, method=method)
        assert r.method == method and r.evaluations.circuits > 0
        np.testing.assert_allclose(r.gradient, adjoint.gradient, atol=1e-6)
    last = lc.layers[-1]["parameters"]
    serial = papillon.gradient(c, theta, obs, backend, method="shift", wrt=last)
    parallel = papillon.gradient(c, theta, obs, backend, method="parallel", wrt=last)
    np.testing.assert_allclose(parallel.gradient, serial.gradient, atol=1e-10)
    assert parallel.evaluations.circuits < serial.evaluations.circuits
    assert backend.stats.circuits > 0


def test_gradient_of_a_dict_observable():
    c = papillon.Circuit(2).ry(0, papillon.Param(0)).cnot(0, 1)
    r = papillon.gradient(c, [0.3], {3: 1.0})  # d/dtheta sin^2(theta/2)
    assert r.value == pytest.approx(np.sin(0.15) ** 2)
    assert r.gradient[0] == pytest.approx(0.5 * np.sin(0.3))


def test_simulator_backend_presets_and_noise():
    assert "ideal" in papillon.noise_presets and len(papillon.noise_presets) > 1
    c = papillon.Circuit(2).h(0).cnot(0, 1)
    exact = papillon.SimulatorBackend().run(c)
    assert exact["probabilities"] == pytest.approx({0: 0.5, 3: 0.5})
    noisy_name = [n for n in papillon.noise_presets if n != "ideal"][0]
    noisy = papillon.SimulatorBackend(noise=noisy_name)
    assert noisy.noise == noisy_name
    r = noisy.run(c, shots=2000, seed=1)
    assert sum(r["counts"].values()) == 2000
    batch = noisy.run_batch([(c, []), (c, [])], shots=100, seed=2)
    assert len(batch) == 2 and noisy.stats.circuits == 3


def test_ionq_dry_run_plans_without_sending(tmp_path):
    b = papillon.IonQBackend(dry_run=True, journal=str(tmp_path / "journal.jsonl"))
    c = papillon.Circuit(2).h(0).cnot(0, 1)
    plan = b.plan([(c, [])], shots=100)
    assert plan["total_circuits"] == 1 and plan["total_shots"] == 100
    r = b.run(c, shots=100)
    assert r["probabilities"] == {}
    assert len(b.last_plan["jobs"]) == 1 and b.last_plan["jobs"][0]["payload"]["shots"] == 100
    assert b.info["name"].startswith("ionq")
    assert (tmp_path / "journal.jsonl").exists()


def test_ionq_transport_failures_are_transport_errors():
    b = papillon.IonQBackend(api_key="not-a-key", base_url="http://127.0.0.1:1", max_retries=0)
    with pytest.raises(papillon.TransportError, match=r"^papillon::ionq::client::create_job: request failed") as e:
        b.run(papillon.Circuit(2).h(0).cnot(0, 1), shots=10)
    assert isinstance(e.value, papillon.BackendError)


def test_errors_are_one_hierarchy_with_the_library_messages():
    with pytest.raises(papillon.CircuitError, match=r"^papillon::circuit: qubit count must be in 1\.\.4096"):
        papillon.Circuit(0)
    with pytest.raises(papillon.CircuitError) as e:
        papillon.butterfly(6)
    assert isinstance(e.value, papillon.Error) and str(e.value).startswith("papillon::butterfly")
    with pytest.raises(papillon.DimensionError) as e:
        papillon.simulate_probabilities(papillon.butterfly(4).circuit, [0.1])
    assert isinstance(e.value, ValueError)
    with pytest.raises(papillon.DataError, match="papillon::simulate: unknown simulation mode"):
        papillon.simulate_probabilities(papillon.Circuit(1), mode="sideways")
    with pytest.raises(papillon.CircuitError, match="cannot run in subspace mode"):
        papillon.simulate_probabilities(papillon.Circuit(2).h(0), mode="subspace")
    assert issubclass(papillon.TransportError, papillon.BackendError)
    assert issubclass(papillon.HttpError, papillon.BackendError)
    assert issubclass(papillon.BackendError, papillon.Error) and issubclass(papillon.Error, RuntimeError)
