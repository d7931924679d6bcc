// SPDX-License-Identifier: Apache-2.0
// The OCF software update resource (OCF Core Optional spec §6 "Software update";
// IoTivity-Lite api/oc_swupdate.c serves it at /oc/swu, rt "oic.r.softwareupdate") and the
// /oic/sec/pstat tm/cm bits that drive the same steps (OCF Security spec §13.8):
//   tm/cm bit 256 (0x100) nsa: check for new software (availability check)
//   tm/cm bit  64 (0x040) svv: software version validation
//   tm/cm bit 128 (0x080) sva/update: software update (apply)
// Payloads are CBOR maps (application/vnd.ocf+cbor, Content-Format 10000, or plain CBOR 60)
// read and written with QCborValue; property names and values are IoTivity-Lite's.
#pragma once

#include "core/common/error.h"

#include <QByteArray>
#include <QCborMap>
#include <QCborValue>
#include <QString>

#include <cstdint>
#include <optional>

namespace otalab::core::ocf {

inline constexpr const char* kSwUpdatePath = "oc/swu";                 // Uri-Path as IoTivity-Lite serves it
inline constexpr const char* kSwUpdateResourceType = "oic.r.softwareupdate";
inline constexpr const char* kPstatPath = "oic/sec/pstat";
inline constexpr const char* kResPath = "oic/res";                     // discovery (link format in CBOR)
inline constexpr const char* kDevicePath = "oic/d";

// "swupdateaction" (what the client asks), "swupdatestate" (where the device is).
enum class SwUpdateAction : std::uint8_t { Idle, Isac, Isvv, Upgrade };   // "idle" "isac" "isvv" "upgrade"
enum class SwUpdateState : std::uint8_t { Idle, Nsa, Svv, Sva, Upgrading };   // "idle" "nsa" "svv" "sva" "upgrading"
// "swupdateresult" 0..8 (oc_swupdate_result_t).
enum class SwUpdateResult : std::uint8_t {
    Idle = 0, Success = 1, LessRam = 2, LessFlash = 3, ConnectionFail = 4, SvvFail = 5, InvalidUrl = 6,
    UnsupportedProtocol = 7, UpgradeFail = 8,
};
QString swUpdateActionName(SwUpdateAction action);
QString swUpdateStateName(SwUpdateState state);
QString swUpdateResultText(SwUpdateResult result);   // "5 (SVV fail)"
std::optional<SwUpdateAction> parseSwUpdateAction(QStringView text);
std::optional<SwUpdateState> parseSwUpdateState(QStringView text);

// pstat tm/cm bits for software update.
namespace pstat_bits {
inline constexpr std::uint32_t Nsa = 256, Svv = 64, Update = 128;
}

// "updatetime": "now", "none", or an RFC 3339 date-time (UTC or with an offset).
struct UpdateTime {
    enum class Kind : std::uint8_t { None, Now, At };
    Kind kind = Kind::None;
    qint64 atMsUtc = 0;                    // Kind::At: ms since the Unix epoch, UTC
    static Result<UpdateTime> parse(QStringView text);   // precise error for anything else
    QString toString() const;              // "none", "now", "2026-12-08T02:00:00Z"
    friend bool operator==(const UpdateTime&, const UpdateTime&) = default;
};
QString rfc3339(qint64 msUtc);             // "2026-12-08T02:00:00Z" (".123" when ms ≠ 0)

// The resource's properties as the device reports them.
struct SwUpdateResource {
    QString purl;                          // package URL: "coap://[fd00::1]:5683/fw/2.0.0"
    QString nv;                            // new version available ("2.0.0"), empty when none known
    QString signage = QStringLiteral("vendor");   // "signed": who signed ("vendor")
    SwUpdateAction action = SwUpdateAction::Idle;
    SwUpdateState state = SwUpdateState::Idle;
    SwUpdateResult result = SwUpdateResult::Idle;
    UpdateTime updateTime;
    QString lastUpdate;                    // RFC 3339 of the last successful update, empty when never
    friend bool operator==(const SwUpdateResource&, const SwUpdateResource&) = default;
};
// The CBOR map a GET with ?if=oic.if.baseline returns: {"rt":["oic.r.softwareupdate"], "if":[...],
// "purl", "nv", "signed", "swupdateaction", "swupdatestate", "swupdateresult", "updatetime",
// "lastupdate" (only when there was an update)}.
QCborMap toCbor(const SwUpdateResource& resource);
// The same without rt/if: what a GET on the default interface oic.if.rw returns
// (IoTivity-Lite oc_swupdate_encode_with_resource without INCLUDE_BASELINE).
QCborMap toCborRw(const SwUpdateResource& resource);
Result<SwUpdateResource> swUpdateFromCbor(const QCborValue& value);

// A client's POST body: the properties it may write (purl, swupdateaction, updatetime). As in
// IoTivity-Lite (swupdate_decode_string_property), the read-only properties (nv, signed,
// swupdatestate, swupdateresult, lastupdate) are an error naming the property; unknown keys
// are an error naming the key; wrong types name the property and the type expected.
struct SwUpdateRequest {
    std::optional<QString> purl;
    std::optional<SwUpdateAction> action;
    std::optional<UpdateTime> updateTime;
    friend bool operator==(const SwUpdateRequest&, const SwUpdateRequest&) = default;
};
QCborMap toCbor(const SwUpdateRequest& request);
Result<SwUpdateRequest> swUpdateRequestFromCbor(const QCborValue& value);

// /oic/sec/pstat subset: dos.s (device onboarding state), isop, cm, tm, om, sm.
struct Pstat {
    int dosState = 3;                      // "dos": {"s": 3} RFNOP (ready for normal operation)
    bool isOperational = true;             // "isop"
    std::uint32_t cm = 0;                  // current mode: bits being done
    std::uint32_t tm = 0;                  // target mode: bits asked for
    int om = 3;                            // operational mode
    int sm = 4;                            // supported modes
    friend bool operator==(const Pstat&, const Pstat&) = default;
};
QCborMap toCbor(const Pstat& pstat);
Result<Pstat> pstatFromCbor(const QCborValue& value);
// A POST to pstat: only "tm" is honoured for software update.
Result<std::uint32_t> pstatTmFromCbor(const QCborValue& value);

// Decodes a CoAP payload into a QCborValue: an error (with the offset) for bytes that are
// not one complete well-formed CBOR item.
Result<QCborValue> decodeCborPayload(const QByteArray& payload);

} // namespace otalab::core::ocf
