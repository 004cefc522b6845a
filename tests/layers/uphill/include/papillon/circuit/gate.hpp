#pragma once
// Against the ladder: a circuit header includes a backend header.
#include <papillon/backend/backend.hpp>
#include <papillon/error.hpp>
