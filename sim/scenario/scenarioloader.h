// SPDX-License-Identifier: Apache-2.0
// Scenario files: strict JSON → RolloutConfig (format: resources/scenario.schema.json).
#pragma once

#include "core/common/error.h"
#include "sim/fleet/scenarioconfig.h"
#include "sim/zigbee/rolloutconfig.h"

#include <QByteArray>
#include <QString>

namespace otalab::sim {

// Parses a scenario document. Top-level keys: "$schema" and "description" (ignored),
// "name", "seed", "topology", "channel", "device", "images", "server", "client",
// "clientOverrides", "stop", "sampleIntervalS" — every one optional; an absent key keeps
// RolloutConfig's default (documented beside each field in sim/zigbee/rolloutconfig.h), so
// "{}" is the starter network with one generated 64 KiB image.
// Strict: unknown keys, wrong types, out-of-range values, impossible topologies,
// dangling short-address references and missing image files are errors. The Error's
// field is the JSON path of the offending value ("$.topology.nodes[3].parent", "$" for
// the document itself, with offset = byte offset for syntax errors) and its message says
// what was expected. Relative image paths resolve against `baseDir` and are returned
// absolute. Pure function of (json, baseDir, file system); never throws.
Result<RolloutConfig> loadScenario(const QByteArray& json, const QString& baseDir);

// Reads `path` and loads it with baseDir = the file's folder; "name" defaults to the
// file's base name ("campus" for campus.json). Error field "$" with the path in the
// message when the file cannot be read.
Result<RolloutConfig> loadScenarioFile(const QString& path);

// The general form: a scenario of one or more fleets. A document without "fleets" is
// one Zigbee fleet read as loadScenario() does (name, seed, stop, sampleIntervalS move
// to the scenario); with "fleets", top-level keys are "$schema", "name", "description",
// "seed", "stop", "sampleIntervalS", "fingerprint", "fleets", and each fleet is
// {"name", "family": "zigbee" | "smp", ...the family's keys}: a zigbee fleet takes the
// keys of a one-fleet file (topology, channel, device, images, server, client,
// clientOverrides); an smp fleet those of readSmpFleet (sim/scenario/smpfleetreader.h).
// Errors name the JSON path below the fleet ("$.fleets[1].boards.count").
// ScenarioConfig::changes lists the parameters that differ from the defaults.
Result<ScenarioConfig> loadScenarioConfig(const QByteArray& json, const QString& baseDir);
// As loadScenarioFile; ScenarioConfig::file is the absolute path.
Result<ScenarioConfig> loadScenarioConfigFile(const QString& path);

} // namespace otalab::sim
