#pragma once

// Umbrella header of the MLflow SDK for C++.
#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/version.hpp>
