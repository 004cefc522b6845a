#pragma once
// Against the ladder: the backend reaches into the simulator's internals.
#include <papillon/circuit/gate.hpp>
#include <papillon/sim/detail/kernels.hpp>
