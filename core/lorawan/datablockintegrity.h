// SPDX-License-Identifier: Apache-2.0
// Seed 004's rule: a device commits a multicast image only after proving, over its own
// unicast session, that it reassembled the right bytes. TS004 v2.0.0 defines exactly
// this, so that is what is implemented (checked against LoRa Basics Modem v4.8
// lorawan_fragmentation_package_v2.0.0.c compute_data_block_integrity_ckeck and
// ChirpStack v4 applayer/fuota/flow.rs + lrwn fragmentation/v2.rs calculate_mic):
//  - DataBlockIntKey = aes128_encrypt(root key, 0x30 | 00 x 15), the root key being the
//    device's own GenAppKey (LoRaWAN 1.0.x) or AppKey (1.1) — per device, never shared
//    with the multicast group, so an attacker holding the multicast keys cannot forge it;
//  - MIC = the first 4 bytes of AES-CMAC(DataBlockIntKey, B0 | data block), B0 = 0x49 |
//    SessionCnt u16 LE | FragIndex | Descriptor u32 LE | 00 00 00 00 | size u32 LE, over
//    the data block without padding (NbFrag x FragSize - Padding bytes);
//  - the server computes it per device and sends it in that device's unicast
//    FragSessionSetupReq; after reassembly the device computes it over what it decoded
//    (the "checksum" of the image), reports the result in FragDataBlockReceivedReq
//    (MicError bit, unicast uplink) and commits only when the MIC matched and the server
//    acknowledged with FragDataBlockReceivedAns.
// The key derivation and CMAC themselves live in fragsessioncommands.h
// (fragmentation::dataBlockIntKey / dataBlockMic); this file is the device's and the
// server's use of them. A TS004 v1 session has no MIC field: the same check applies when
// the server supplies the MIC by other means (seed 004), otherwise only the image's own
// signature (fuotaimage.h) protects it.
#pragma once

#include "core/common/error.h"
#include "core/lorawan/fragsessioncommands.h"

#include <QByteArrayView>
#include <array>
#include <cstdint>

namespace otalab::core::lorawan {

using DataBlockMic = std::array<std::uint8_t, 4>;

// What binds a MIC to one fragmentation session (all from FragSessionSetupReq).
struct DataBlockSession {
    std::uint16_t sessionCnt = 0;
    std::uint8_t fragIndex = 0;  // 0..3
    std::uint32_t descriptor = 0; // FragSessionSetupReq Descriptor, as a little-endian u32
};

// Server side: the MIC to put in this device's FragSessionSetupReq. rootKey: the device's
// GenAppKey (1.0.x) or AppKey (1.1).
DataBlockMic serverDataBlockMic(const AesKey& rootKey, const DataBlockSession& session, QByteArrayView dataBlock);

// Device side of one session, sans-IO:
//   onReassembled(image) -> the FragDataBlockReceivedReq to send (MicError set on mismatch);
//   onAnswer(ans)        -> whether the image may now be committed.
class DataBlockVerifier {
public:
    DataBlockVerifier(const AesKey& rootKey, const DataBlockSession& session, const DataBlockMic& expectedMic);

    fragmentation::FragDataBlockReceivedReq onReassembled(QByteArrayView image);
    // Fails for an answer about another FragIndex or one before onReassembled(). Returns
    // true when the device may commit: the MIC matched and the server acknowledged.
    Result<bool> onAnswer(const fragmentation::FragDataBlockReceivedAns& answer);

    bool reassembled() const { return m_reassembled; }
    bool micMatches() const { return m_micMatches; }
    bool mayCommit() const { return m_micMatches && m_acknowledged; }
    const DataBlockMic& computedMic() const { return m_computed; }
    const DataBlockMic& expectedMic() const { return m_expected; }

private:
    AesKey m_intKey;
    DataBlockSession m_session;
    DataBlockMic m_expected;
    DataBlockMic m_computed{};
    bool m_reassembled = false;
    bool m_micMatches = false;
    bool m_acknowledged = false;
};

} // namespace otalab::core::lorawan
