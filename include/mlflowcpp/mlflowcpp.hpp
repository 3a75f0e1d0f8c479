#pragma once

// Umbrella header of the MLflow SDK for C++.
#include <mlflowcpp/artifacts.hpp>
#include <mlflowcpp/async_logging.hpp>
#include <mlflowcpp/client.hpp>
#include <mlflowcpp/client_options.hpp>
#include <mlflowcpp/connection.hpp>
#include <mlflowcpp/entities.hpp>
#include <mlflowcpp/errors.hpp>
#include <mlflowcpp/logged_model.hpp>
#include <mlflowcpp/model.hpp>
#include <mlflowcpp/registry_entities.hpp>
#include <mlflowcpp/sync.hpp>
#include <mlflowcpp/fluent.hpp>
#include <mlflowcpp/version.hpp>
