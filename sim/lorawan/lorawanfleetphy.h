// SPDX-License-Identifier: Apache-2.0
// LorawanFleetPhy: the LoRa PHY and regional facts the LoRaWAN fleet uses, in one place.
#pragma once

#include "sim/kernel/simtime.h"
#include "sim/lorawan/dutycycle.h"
#include "sim/lorawan/lorawanfleetconfig.h"

#include <QString>

#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::sim {

// One LoRaWAN data rate of a region (LoRaWAN RP002-1.0.3 tables).
struct LorawanDataRate {
    int index = 0;
    int spreadingFactor = 7;
    int bandwidthHz = 125'000;
    int maxMacPayload = 0;   // M: FHDR + FPort + FRMPayload
    int maxAppPayload = 0;   // N: FRMPayload (no FOpts)
};

// The regional parameters and the PHY formulas the fleet needs, taken from sim/lorawan's
// PHY (region.h: RP002-1.0.3 tables; airtime.h: Semtech AN1200.13 time on air, CRC on
// uplinks only, LDRO at ≥ 16 ms symbols; loraradio.h: SX1276 SNR floors and the PER
// curve; propagation.h: log-distance path loss, noise floor). Every PHY fact the fleet
// uses goes through this class, so the fleet depends on the PHY in one place.
class LorawanFleetPhy {
public:
    static LorawanFleetPhy forRegion(LorawanRegion region);

    LorawanRegion region() const { return m_region; }
    QString regionName() const;
    std::optional<LorawanDataRate> dataRate(int dr) const;
    // Uplink data rates a device may use, best (fastest) first.
    std::vector<int> uplinkDataRates() const;
    // Downlink DR of RX1 for an uplink at `uplinkDr` (RX1DROffset 0).
    int rx1DataRate(int uplinkDr) const;
    std::uint32_t rx1FrequencyHz(std::uint32_t uplinkFrequencyHz, int channelIndex) const;
    int defaultRx2DataRate() const;
    std::uint32_t rx2FrequencyHz() const;
    const std::vector<std::uint32_t>& uplinkChannelsHz() const { return m_uplinkChannels; }
    // Duty cycle of the sub-band holding `frequencyHz` (EU868: 1 % or 10 % on 869.4–869.65 MHz;
    // US915: 1.0, no duty cycle) and a small index naming the sub-band.
    double dutyCycle(std::uint32_t frequencyHz) const;
    int subBand(std::uint32_t frequencyHz) const;
    // Whether the region allows transmitting on `frequencyHz` at all.
    bool mayTransmit(std::uint32_t frequencyHz) const;
    // Class B beacons: frequency, and time on air of one beacon (EU868 17 bytes at DR3,
    // US915 23 bytes at DR8; 10 preamble symbols, implicit header, no CRC: RP002 / LoRaWAN 1.0.4 §13).
    std::uint32_t beaconFrequencyHz() const;
    SimTime beaconAirtime() const;
    // A per-sub-band time-off tracker of this region (gateways hold one).
    lorawan::DutyCycleTracker dutyCycleTracker() const;
    static constexpr int kSubBands = 6;   // EU868's duty-cycle bands (US915: one, never limited)

    static SimTime timeOnAir(int spreadingFactor, int bandwidthHz, int phyPayloadBytes, bool uplink);
    static double snrFloorDb(int spreadingFactor);
    static double packetErrorRate(int spreadingFactor, double snrDb, int phyPayloadBytes);
    // Thermal noise over `bandwidthHz` plus the noise figure (dBm).
    static double noiseFloorDbm(int bandwidthHz, double noiseFigureDb);
    // Path loss (dB) of the log-distance model, without shadowing.
    static double pathLossDb(const LorawanRadioConfig& radio, double distanceM);

private:
    LorawanRegion m_region = LorawanRegion::EU868;
    std::vector<LorawanDataRate> m_rates;  // index = DR; bandwidthHz 0 = not defined
    std::vector<std::uint32_t> m_uplinkChannels;
};

// LoRaWAN frame sizes the fleet puts on the air.
inline constexpr int kLorawanFrameOverhead = 13;   // MHDR 1 + FHDR 7 + FPort 1 + MIC 4
inline constexpr int kDataFragmentHeader = 3;      // TS004 DataFragment: CID + u16 index

} // namespace otalab::sim
