// SPDX-License-Identifier: Apache-2.0
// LoRaWAN regional parameters (EU868, US915): data rates, channels, RX windows, duty cycle.
#pragma once

#include <QString>
#include <QStringView>

#include <cstdint>
#include <vector>

namespace otalab::sim::lorawan {

// One LoRa data rate of a region. Maximum payloads per LoRaWAN Regional Parameters
// RP002-1.0.3 (the "no repeater" columns): M = MACPayload (FHDR + FPort + FRMPayload),
// N = FRMPayload (application payload) = M − 8 with an empty FOpts. The PHYPayload is
// M + 5 (MHDR 1 + MIC 4).
struct DataRate {
    int index = -1;          // DRn; -1 for "no such data rate"
    int spreadingFactor = 0; // 7..12
    int bandwidthHz = 0;     // 125'000 / 250'000 / 500'000
    int maxMacPayload = 0;   // M, bytes
    int maxAppPayload = 0;   // N, bytes
    bool uplink = true;      // usable for uplinks
    bool downlink = true;    // usable for downlinks

    bool isValid() const { return index >= 0; }
    int maxPhyPayload() const { return maxMacPayload + 5; }
};

// A region's fixed parameters. Immutable singletons; thread-safe to read.
// Frequencies are in Hz. Sources: LoRaWAN Regional Parameters RP002-1.0.3 (EU863-870 §2.4,
// US902-928 §2.5); EU duty cycles per ETSI EN 300 220-2 / ERC Rec 70-03 annex 1 sub-bands
// as LoRaMac-node's RegionEU868 bands.
class Region {
public:
    enum class Id { Eu868, Us915 };

    static const Region& eu868();
    static const Region& us915();
    // "EU868" / "US915" (case-insensitive; "EU863-870", "US902-928" too); nullptr otherwise.
    static const Region* byName(QStringView name);

    Id id() const { return m_id; }
    QString name() const;

    // Every LoRa data rate the region defines (EU868 DR0–6, US915 DR0–4 and DR8–13), by index.
    const std::vector<DataRate>& dataRates() const { return m_dataRates; }
    bool hasDataRate(int dr) const;
    // The data rate DRn; an invalid DataRate (index −1) when the region has none.
    const DataRate& dataRate(int dr) const;
    // The DRn with this SF/BW (uplink first), or an invalid DataRate.
    const DataRate& dataRateFor(int spreadingFactor, int bandwidthHz) const;
    // Lowest / highest uplink data rate on the default channels (EU868 0..5, US915 0..4).
    int minDataRate() const { return 0; }
    int maxDataRate() const;

    // Default uplink channels: EU868 868.1, 868.3, 868.5 MHz; US915 sub-band 2 (channels
    // 8–15, 903.9–905.3 MHz, 125 kHz; the 500 kHz channel 65 at 904.6 MHz is uplinkChannel500kHz()).
    const std::vector<std::uint32_t>& uplinkChannelsHz() const { return m_uplinkChannels; }
    // US915: the 500 kHz (DR4) channel of the default sub-band; 0 in EU868.
    std::uint32_t uplinkChannel500kHz() const { return m_uplink500; }

    // RX2 / class C default: EU868 869.525 MHz DR0; US915 923.3 MHz DR8.
    std::uint32_t rx2FrequencyHz() const { return m_rx2Frequency; }
    int rx2DataRate() const { return m_rx2DataRate; }
    // Class B beacon and default ping-slot frequency and data rate: EU868 869.525 MHz DR3.
    // US915 hops over 8 channels (923.3 + 0.6·k MHz) at DR8; these return the first one.
    std::uint32_t beaconFrequencyHz() const { return m_beaconFrequency; }
    int beaconDataRate() const { return m_beaconDataRate; }
    std::uint32_t classBPingSlotFrequencyHz() const { return m_beaconFrequency; }
    int classBPingSlotDataRate() const { return m_beaconDataRate; }

    // RX1 data rate for an uplink at `uplinkDr` with RX1DROffset (EU868: max(DR − offset, 0),
    // offset 0..5; US915: table of RP002 §2.5.7, uplink DR0–4, offset 0..3). −1 if invalid.
    int rx1DataRate(int uplinkDr, int rx1DrOffset) const;
    // RX1 frequency: EU868 the uplink frequency; US915 923.3 + 0.6·(channel mod 8) MHz.
    // 0 for a frequency that is not an uplink channel of the region.
    std::uint32_t rx1FrequencyHz(std::uint32_t uplinkHz) const;

    // Duty cycle allowed in the ETSI sub-band holding `freqHz`, as a fraction: EU868 0.01 on
    // 865–868.6 and 869.7–870 MHz, 0.1 on 869.4–869.65 MHz, 0.001 on 863–865 and
    // 868.7–869.2 MHz, 0 where transmitting is not allowed. US915: 1.0 (no duty cycle; FCC
    // limits the dwell time to 400 ms per uplink instead, see maxDwellTime()).
    double dutyCycle(std::uint32_t freqHz) const;
    // The same as 1/d (100 for 1 %), 0 when not allowed, 1 when unlimited. Exact integer.
    int dutyCycleDivisor(std::uint32_t freqHz) const;
    // Duty-cycle band index of `freqHz` (EU868 0..5, see region.cpp; −1 outside every band).
    // US915 has no duty-cycle bands: −1. dutyCycleBandCount(): EU868 6, US915 0.
    int dutyCycleBand(std::uint32_t freqHz) const;
    int dutyCycleBandCount() const;
    // Sub-band of a frequency: EU868 = dutyCycleBand(); US915 the 8-channel sub-band 1..8 of
    // an uplink channel (125 kHz channels 0–63 and 500 kHz channels 64–71), −1 otherwise.
    int subBand(std::uint32_t freqHz) const;
    // US915 uplink dwell time limit (400 ms); zero duration in EU868. Milliseconds.
    int maxDwellTimeMs() const { return m_id == Id::Us915 ? 400 : 0; }

    // Maximum transmit power: EU868 uplink 16 dBm EIRP, downlink 27 dBm (the 869.4–869.65 MHz
    // band allows 500 mW ERP); US915 uplink 30 dBm, downlink 30 dBm (conducted, FCC 15.247).
    int maxTxPowerDbm(bool downlink) const;

private:
    Region() = default;
    static Region makeEu868();
    static Region makeUs915();

    Id m_id = Id::Eu868;
    std::vector<DataRate> m_dataRates;
    std::vector<std::uint32_t> m_uplinkChannels;
    std::uint32_t m_uplink500 = 0;
    std::uint32_t m_rx2Frequency = 0;
    int m_rx2DataRate = 0;
    std::uint32_t m_beaconFrequency = 0;
    int m_beaconDataRate = 0;
};

} // namespace otalab::sim::lorawan
