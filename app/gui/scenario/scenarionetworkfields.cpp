// SPDX-License-Identifier: Apache-2.0
// The form's keys of a Zigbee scenario's "network" section (resources/scenario.schema.json
// $defs.network). Ranges and defaults are the loader's (sim/scenario/networkreader.cpp,
// sim/zigbee/nwkmodelconfig.h); tips follow the schema's descriptions.
#include "scenario/scenariofieldbuilders.h"
#include "scenario/scenariofieldspec.h"

#include <climits>

namespace otalab::app::scenariofields {

namespace {

using build::boolean;
using build::choice;
using build::integer;
using build::text;

constexpr double kMaxMs = INT_MAX;  // what a QSpinBox holds; the loader takes up to 1e12 ms (type larger ones in the JSON)

} // namespace

QList<ScenarioFieldSpec> network()
{
    return {
        boolean("aps.ack", "APS ACKs", false,
                "unicast APS data frames ask for an APS ACK and are retried (EmberZNet EMBER_APS_OPTION_RETRY); off = delivery is the first hop's MAC ACK"),
        integer("aps.maxRetries", "APS retries", 0, 255, 3, "", "retransmissions after the first attempt (apscMaxFrameRetries)"),
        integer("aps.ackWaitMs", "APS ACK wait", 0, kMaxMs, 0, " ms", "wait for the APS ACK of a rx-on-when-idle destination; 0 = the stack's formula (1600 ms)"),
        integer("aps.sleepyAckWaitExtraMs", "Sleepy ACK wait extra", 0, kMaxMs, 0, " ms",
                "added when the destination is a sleepy end device (indirect transmission timeout); 0 = the stack's value (7680 ms)"),
        integer("aps.duplicateTableSize", "Duplicate table", 0, 1024, 0, " entries", "APS duplicate rejection table; 0 = the stack's value (5)"),
        integer("aps.duplicateTimeoutMs", "Duplicate timeout", 0, kMaxMs, 0, " ms", "how long an entry rejects a repeated (source, APS counter); 0 = the stack's value (10 s)"),
        choice("security.mode", "NWK security", {QStringLiteral("none"), QStringLiteral("modelled"), QStringLiteral("real")}, "modelled",
               "none: unsecured frames (device NWK security must be 0); modelled: unsecured bytes, the device's NWK security octets charged; "
               "real: auxiliary header, frame counter, AES-CCM* and MIC-32 on the air (the pcap decrypts with the network key)"),
        text("security.networkKey", "Network key", QStringLiteral("01030507090B0D0F00020406080A0C0D"),
             "32 hex digits, or 16 octets separated by ':' or ' '; the key Wireshark needs"),
        integer("security.keySequence", "Key sequence", 0, 255, 0, "", "active network key sequence number"),
        boolean("security.apsEncryption", "APS encryption", false, "OTA cluster frames also APS-encrypted with the link key (needs security \"real\")"),
        text("security.linkKey", "Link key", QStringLiteral("5A6967426565416C6C69616E63653039"),
             "trust-center link key, 32 hex digits; default \"ZigBeeAlliance09\" in ASCII"),
        choice("routing.mode", "Routing", {QStringLiteral("tree"), QStringLiteral("mesh")}, "tree",
               "tree: parent/child links only; mesh: route discovery between routers, routing tables"),
        boolean("routing.manyToOne", "Many-to-one", false,
                "the coordinator is a concentrator: many-to-one route requests, route records, source routes (needs routing \"mesh\")"),
        integer("routing.concentratorIntervalS", "Concentrator interval", 1, INT_MAX, 60, " s", "period of the many-to-one route request"),
        integer("routing.routeDiscoveryTimeoutMs", "Route discovery timeout", 0, kMaxMs, 0, " ms", "0 = the stack's default"),
        boolean("rejoin.enabled", "Rejoin", false, "sleepy children of a parent that stops answering rejoin another parent in range"),
        integer("rejoin.pollFailures", "Poll failures before rejoin", 0, 255, 0, "", "consecutive failed polls; 0 = the stack's default"),
        integer("rejoin.attemptsMax", "Rejoin attempts", 0, 255, 0, "",
                "moves (one pass over the candidate parents each) before giving up, orphaned; 0 = the stack's default (3), 255 = never give up"),
        integer("rejoin.retryDelayMs", "Rejoin retry delay", 0, kMaxMs, 0, " ms", "wait after a failed move; 0 = the stack's default (10 s)"),
        boolean("addressFiltering", "Address filtering", false,
                "a listening radio stops receiving a frame once its MAC header shows it is for another node"),
        choice("idlePolls", "Idle polls", {QStringLiteral("onAir"), QStringLiteral("closedForm")}, "onAir",
               "onAir: every Data Request is a frame; closedForm: polls that find nothing pending are counted and charged, not simulated"),
    };
}

} // namespace otalab::app::scenariofields
