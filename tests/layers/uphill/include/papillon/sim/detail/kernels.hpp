#pragma once
#include <papillon/circuit/gate.hpp>
