// SPDX-License-Identifier: Apache-2.0
// SmpTestbed: a simulator with one link and one simulated SMP board, set up from a spec.
#pragma once

#include "sim/smp/smpblelink.h"
#include "sim/smp/smpdevice.h"
#include "sim/smp/smphost.h"
#include "sim/smp/smpseriallink.h"
#include "sim/smp/smpudplink.h"

#include <QVariantMap>

#include <memory>

namespace otalab::sim {

enum class SmpLinkKind { Serial, Ble, Udp };
QString smpLinkKindName(SmpLinkKind kind);   // "serial", "ble", "udp"

struct SmpTestbedConfig {
    SmpLinkKind kind = SmpLinkKind::Serial;
    SmpSerialLinkConfig serial;
    SmpBleLinkConfig ble;
    SmpUdpLinkConfig udp;
    SmpSimDeviceConfig device;
    std::uint64_t seed = 1;     // noise streams
};

// The part after "sim:" of a connection spec: target "serial" | "ble" | "udp" and its
// options (keys lowercase, values text, as ConnectionSpec::parse gives them):
//   all:    seed=N, noise=RATE (byte error rate, e.g. 1e-5), buf_size=B, buf_count=N,
//           strategy=swap-move|overwrite-only|direct-xip|direct-xip-revert, slot_kb=K,
//           write_us=T (flash word), erase_ms=T (flash page), proc_us=T (per request)
//   serial: baud=115200, pace_us=0, line=127, usb=on|off, rx_bufs=2, rx_buf_size=128
//   ble:    interval_ms=30, mtu=247, dle=251, pdus=4, phy=1m|2m, encrypted=on|off
//   udp:    latency_ms=1, rate_kbps=10000, mtu=1472
// Defaults are those of the config structs, except buf_size: serial 384 (the Kconfig
// default of CONFIG_MCUMGR_TRANSPORT_NETBUF_SIZE), BLE 2475 (Zephyr's smp_svr Bluetooth
// overlay), UDP 1500 (one Ethernet MTU).
// Unknown keys and bad values are errors naming the key.
Result<SmpTestbedConfig> parseSmpSimSpec(const QString& target, const QVariantMap& options);
// One line per link kind listing its options, for error messages and --help.
QString smpSimSpecHelp();

// Owns a Simulator (sequential), the link of the configured kind and the board on it.
// Install an image, then run client operations one after another; virtual time goes
// on between them. Simulation thread only.
class SmpTestbed {
public:
    explicit SmpTestbed(SmpTestbedConfig config);
    ~SmpTestbed();
    SmpTestbed(const SmpTestbed&) = delete;
    SmpTestbed& operator=(const SmpTestbed&) = delete;

    Simulator& simulator() { return *m_sim; }
    SmpLink& link() { return *m_link; }
    SmpSimDevice& device() { return *m_device; }
    const SmpTestbedConfig& config() const { return m_config; }

    // Runs `operation` to its end (or `limit` of virtual time from now) with a fresh host
    // (kept by the testbed, returned for its figures). The host closes the link when the
    // operation ends; an operation still running at the limit is abandoned (its host
    // stops driving it), so `operation` may be destroyed after run() returns.
    SmpOperationHost& run(core::smp::Operation& operation, SimTime limit = SimTime::fromSecondsInt(3600),
                          SmpHostOptions options = {});

private:
    SmpTestbedConfig m_config;
    std::unique_ptr<Simulator> m_sim;
    std::unique_ptr<SmpLink> m_link;
    std::unique_ptr<SmpSimDevice> m_device;
    std::vector<std::unique_ptr<SmpOperationHost>> m_hosts;
};

} // namespace otalab::sim
