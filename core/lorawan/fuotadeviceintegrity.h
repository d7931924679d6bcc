// SPDX-License-Identifier: Apache-2.0
// Seed 004's data-block MIC on both TS004 versions, shared by FuotaDevice and
// FuotaServerFrames, and the package payload codec they both use.
//
// TS004 v2 carries the MIC in FragSessionSetupReq and has the FragDataBlockReceivedReq /
// Ans exchange (CID 0x04): used as the spec says. TS004 v1 has neither, and seed 004
// still requires the device to prove it holds the right image before it commits, so a
// v1 session here (an OTA Lab convention, not in TS004 v1.0.0):
//  - carries the per-device data-block MIC in the application-defined Descriptor
//    (u32 LE = the 4 MIC bytes in order), computed as v2's dataBlockMic() with
//    SessionCnt 0, the session's FragIndex and Descriptor 0 in B0;
//  - uses the v2 CID 0x04 pair (FragDataBlockReceivedReq / Ans, same 2-byte layout),
//    each alone in its frame, so a v1 payload that is exactly one 0x04 command is read
//    with the v2 layout and every other v1 payload as v1.
#pragma once

#include "core/common/error.h"
#include "core/lorawan/datablockintegrity.h"
#include "core/lorawan/packagecommands.h"

#include <QByteArray>
#include <cstdint>
#include <vector>

namespace otalab::core::lorawan {

// The session a MIC is bound to: v2 {SessionCnt, FragIndex, Descriptor}; v1 {0, FragIndex, 0}.
DataBlockSession fuotaIntegritySession(const fragmentation::FragSessionSetupReq& req, fragmentation::Version version);
// The MIC the device must find: v2 req.mic; v1 the Descriptor's bytes.
DataBlockMic fuotaExpectedMic(const fragmentation::FragSessionSetupReq& req, fragmentation::Version version);
// v1: the Descriptor that carries this device's MIC of dataBlock (rootKey: its GenAppKey).
std::uint32_t fuotaV1MicDescriptor(const AesKey& rootKey, std::uint8_t fragIndex, QByteArrayView dataBlock);

// parsePackageCommands / encode for one FRMPayload, with the v1 CID 0x04 rule above.
Result<std::vector<PackageCommand>> parseFuotaPayload(std::uint8_t port, Direction direction, QByteArrayView payload,
                                                      fragmentation::Version version);
// Commands of one port, concatenated in order (all must belong to `port`).
Result<QByteArray> encodeFuotaPayload(std::uint8_t port, const std::vector<PackageCommand>& commands,
                                      fragmentation::Version version);

// "FragSessionSetupReq" from an error field "FragSessionSetupReq.NbFrag", else the
// package's name for the port ("fragmentation payload").
QString fuotaCommandOfError(std::uint8_t port, const Error& error);

} // namespace otalab::core::lorawan
