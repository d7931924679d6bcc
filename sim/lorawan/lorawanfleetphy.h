// SPDX-License-Identifier: Apache-2.0
// LorawanFleetPhy: the LoRa PHY and regional facts the LoRaWAN fleet uses, in one place.
#pragma once

#include "sim/kernel/simtime.h"
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

// The regional parameters and the PHY formulas the fleet needs. Every PHY fact the
// fleet uses goes through this class, so the fleet depends on the PHY in one place.
// Contract of the formulas:
//  - timeOnAir(): Semtech AN1200.13 (and LoRaMac-node SX1276GetTimeOnAir): coding rate
//    4/5, 8 preamble symbols, explicit header, CRC on uplinks only, low-data-rate
//    optimisation when a symbol lasts ≥ 16 ms; `phyPayloadBytes` is the PHYPayload
//    (MHDR … MIC).
//  - snrFloorDb(sf): demodulator SNR floor (SX1276 datasheet table 13: −7.5 dB at SF7 …
//    −20 dB at SF12, 2.5 dB a step).
//  - packetErrorRate(): 0 well above the floor, 1 well below, a logistic step of ~2 dB
//    around floor + 1 dB for a 20-byte frame, longer frames proportionally worse
//    (independent 20-byte blocks).
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
    static constexpr int kSubBands = 6;

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
