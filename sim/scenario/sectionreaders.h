// SPDX-License-Identifier: Apache-2.0
// Readers of the scenario sections below "topology" (one per top-level key).
#pragma once

#include "core/common/error.h"
#include "sim/zigbee/rolloutconfig.h"
#include "sim/scenario/topologyindex.h"

#include <QDir>
#include <QJsonObject>

#include <array>
#include <optional>

namespace otalab::sim {

// Each reads one section into `out` (keys absent keep RolloutConfig's defaults), checks
// ranges and references (short addresses must exist in `topology` with a fitting role),
// and records the first error, with its JSON path, into `sink`. Key names are the ones
// documented beside each field in sim/zigbee/rolloutconfig.h.
void readLossModel(const QJsonObject& json, const QString& path, LossModelConfig& out, std::optional<Error>& sink);
void readChannel(const QJsonObject& json, const TopologyIndex& topology, ChannelConfig& out, std::optional<Error>& sink);
void readDevice(const QJsonObject& json, DeviceConfig& out, std::optional<Error>& sink);
// Relative "path"s resolve against `baseDir` and are stored absolute; the file must exist.
void readImages(const QJsonArray& json, const QDir& baseDir, std::vector<ImageConfig>& out, std::optional<Error>& sink);
void readServer(const QJsonObject& json, const TopologyIndex& topology, ServerConfig& out, std::optional<Error>& sink);
void readClient(const QJsonObject& json, ClientConfig& out, std::optional<Error>& sink);
void readClientOverrides(const QJsonArray& json, const TopologyIndex& topology, std::vector<ClientOverride>& out,
                         std::optional<Error>& sink);
void readStop(const QJsonObject& json, StopConfig& out, std::optional<Error>& sink);
// "network" (networkreader.cpp): NwkModelConfig at "$.network".
void readNetwork(const QJsonObject& json, NwkModelConfig& out, std::optional<Error>& sink);
// After "device" and "network" are read: "security.mode" against "device.nwkSecurityOverheadBytes"
// (`overheadGiven`: the key was in the file). "modelled" charges that key's octets; "none" needs 0
// (absent: set to 0); "real" carries the 18 real octets (absent: 18). Otherwise an error at
// "$.network.security.mode" whose message names objectPath + ".device.nwkSecurityOverheadBytes".
void checkNetworkSecurity(const NwkModelConfig& network, bool overheadGiven, const QString& objectPath, DeviceConfig& device,
                          std::optional<Error>& sink);
// A 128-bit key as the "network" section writes it: 32 hex digits (either case), or 16 octets
// with one ':' or one ' ' between each two (the same one throughout). nullopt (and the reason
// in `why`) otherwise. aesKeyText writes 32 upper-case digits.
std::optional<std::array<std::uint8_t, 16>> parseAesKey(const QString& text, QString* why = nullptr);
QString aesKeyText(const std::array<std::uint8_t, 16>& key);

// Checks that `shortAddress` names a node of `topology`, and a router/coordinator when
// `needsRouter`; records an error at `path` otherwise.
void checkNodeReference(const TopologyIndex& topology, std::uint16_t shortAddress, bool needsRouter,
                        const QString& path, std::optional<Error>& sink);

// Limits shared by the readers (and the schema): the longest duration accepted in ms
// and in s (about 31.7 years; keeps nanosecond SimTime far from overflow).
inline constexpr std::int64_t kMaxDurationMs = 1'000'000'000'000;
inline constexpr double kMaxDurationS = 1e9;

} // namespace otalab::sim
