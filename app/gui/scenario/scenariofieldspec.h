// SPDX-License-Identifier: Apache-2.0
// ScenarioFieldSpec: how the form shows one scenario key (type, range, default) — data only.
#pragma once

#include "scenario/jsontextpatch.h"

#include <QJsonObject>
#include <QJsonValue>
#include <QList>
#include <QString>
#include <QStringList>

namespace otalab::app {

enum class FieldKind : quint8 {
    Integer,     // JSON integer; QSpinBox
    Number,      // JSON number; QDoubleSpinBox
    Boolean,     // JSON bool; QCheckBox (a three-way choice when optional)
    Hex,         // "0x1A2B" string (the loaders also take integers); hexDigits wide
    Choice,      // one of `choices` (JSON strings)
    Text,        // JSON string
    IntegerList, // [n, ...] of byte offsets, typed as "0x100, 4096"
};

// One key of the scenario format as the form edits it. `key` is relative to the object
// it sits in ("sessionTimeoutMs", "loss.p" inside a router override). A null
// `defaultValue` makes the key optional: the input may be left empty, which removes the
// key. Ranges are the loaders' (sim/scenario/*reader.cpp).
struct ScenarioFieldSpec {
    QString key;
    QString label;
    FieldKind kind = FieldKind::Integer;
    double min = 0.0;
    double max = 0.0;
    QString suffix;           // " ms", " s", " bytes"
    QString tip;              // what the key means (the JSON key is prepended in the tooltip)
    QJsonValue defaultValue;  // what the loader uses when the key is absent; null = optional
    QStringList choices;      // FieldKind::Choice
    int decimals = 3;         // FieldKind::Number
    int hexDigits = 4;        // FieldKind::Hex
    // Shown only while the Choice at `discriminator` (a sibling key, e.g. "loss.kind")
    // holds one of `onlyFor`; choosing another value rewrites the discriminator's object.
    QString discriminator;
    QStringList onlyFor;
    QString emptyMeaning;     // what an empty optional input means ("end of the run")
    QString replaces;         // sibling keys removed when this one is set ("path" vs "generate"; comma-separated)
};

// The key sets the form shows with generic inputs, by the object they sit in.
namespace scenariofields {
QList<ScenarioFieldSpec> run();             // top level: description, sampleIntervalS, fingerprint
QList<ScenarioFieldSpec> generateMore();    // topology.generate beyond routers/branching/zeds/placement/spacing
QList<ScenarioFieldSpec> node();            // one topology.nodes[] element
QList<ScenarioFieldSpec> channelMore();     // channel scalars beside "loss"
QList<ScenarioFieldSpec> loss(const QString& prefix);  // a loss model object's keys, prefixed ("loss.")
QList<ScenarioFieldSpec> cut();             // one channel.cuts[] element
QList<ScenarioFieldSpec> routerOverride();  // one channel.routerOverrides[] element
QList<ScenarioFieldSpec> deviceMore();      // device scalars beyond preset/battery/poll intervals
QList<ScenarioFieldSpec> customPreset();    // device.preset given as an object
QList<ScenarioFieldSpec> imageMore();       // images[0] beyond size/fileVersion/path
QList<ScenarioFieldSpec> image();           // a further images[] element: a file or a generated image
QList<ScenarioFieldSpec> serverMore();      // server scalars beyond block size/response delay
QList<ScenarioFieldSpec> policy(bool perDevice);  // server.defaultPolicy / server.devicePolicies[]
QList<ScenarioFieldSpec> client();          // "client"
QList<ScenarioFieldSpec> clientOverride();  // one clientOverrides[] element
QList<ScenarioFieldSpec> network();         // "network" (scenarionetworkfields.cpp): aps.*, security.*, routing.*, rejoin.*, ...
// A scenario with "fleets" (scenariosmpfields.cpp): its top level, and one SMP fleet's
// keys relative to the fleet object ("ble.connections"), by section.
QList<ScenarioFieldSpec> fleetsRun();       // name, description, seed, stop.*, sampleIntervalS, fingerprint
QList<ScenarioFieldSpec> smpLink();         // name, link, ble.* (link "ble"), udp.* (link "udp")
QList<ScenarioFieldSpec> smpImage();        // image.*
QList<ScenarioFieldSpec> smpBoards();       // boards.*
QList<ScenarioFieldSpec> smpHost();         // host.*
// One LoRaWAN fleet ($defs.lorawanFleet; scenariolorawanfields.cpp), keys relative to the
// object each section edits: lorawanFleet() to the fleet, the others to its sub-object
// ("$.fleets[i].campaign": "redundancyPercent").
QList<ScenarioFieldSpec> lorawanFleet();     // name, region
QList<ScenarioFieldSpec> lorawanGateways();  // gateways.* but positions
QList<ScenarioFieldSpec> lorawanDevices();   // devices.*
QList<ScenarioFieldSpec> lorawanRadio();     // radio.*
QList<ScenarioFieldSpec> lorawanImage();     // image.*
QList<ScenarioFieldSpec> lorawanCampaign();  // campaign.*
QList<ScenarioFieldSpec> lorawanFaults();    // faults.forgedFragments.*
// Keys of a LoRaWAN fleet edited in the JSON text only (lists): "gateways.positions", "faults.gatewayDown".
QStringList lorawanJsonOnly();

// A key that holds a keyword or a value ("redundancyPercent": "adaptive" | 10,
// "groupDeletion": "afterSession" | {"afterQueueS": 60}, "forgedFragments": absent | {...})
// is edited as a Choice at key + kFormSuffix ("redundancyPercent#form") and the inputs
// of the value, each with that Choice as its discriminator (key, or key.member of an
// object value). The form Choice is not a JSON key: showForms() derives it from the
// object, writeForms() turns its edits into edits of the key.
inline constexpr char kFormSuffix[] = "#form";
// `object` with each form Choice of `specs` set from its key (a keyword it lists, else the
// value's choice) and a keyword value removed, so the value's inputs show their defaults.
QJsonObject showForms(QJsonObject object, const QList<ScenarioFieldSpec>& specs);
// Rewrites the edits of a form Choice and its dependents (paths "...K#form", "...K",
// "...K.member"): a value shown → K = that value (or {member: value, ...}); else K = the
// keyword, or K removed for the keyword "none". Other edits pass unchanged, in order.
QList<JsonEdit> writeForms(QList<JsonEdit> edits);
} // namespace scenariofields

// `json` at the relative `key` ("loss.p"); undefined when a member on the way is absent.
QJsonValue valueAtKey(const QJsonObject& json, const QString& key);

} // namespace otalab::app
