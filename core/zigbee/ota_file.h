// SPDX-License-Identifier: Apache-2.0
// In-memory model of a Zigbee OTA Upgrade file (ZCL OTA cluster 0x0019, file format §11.4).
#pragma once

#include <QByteArray>
#include <array>
#include <cstdint>
#include <optional>
#include <vector>

namespace otalab::core::zigbee {

// Wire constants. Every multi-byte field of the file is little-endian.
inline constexpr std::uint32_t kOtaFileIdentifier = 0x0BEEF11E;  // bytes 1e f1 ee 0b
inline constexpr std::uint16_t kOtaHeaderVersion = 0x0100;        // major 0x01, minor 0x00
inline constexpr qint64 kMandatoryHeaderSize = 56;                // identifier .. total image size
inline constexpr qint64 kMaxHeaderSize = 69;                      // with every optional field
inline constexpr qint64 kSubElementHeaderSize = 6;                // u16 tag + u32 length
inline constexpr qint64 kHeaderStringSize = 32;                   // char[32], NUL padded

// Offsets of the mandatory header fields from the identifier.
namespace headeroffset {
inline constexpr qint64 Identifier = 0;        // u32
inline constexpr qint64 HeaderVersion = 4;     // u16
inline constexpr qint64 HeaderLength = 6;      // u16
inline constexpr qint64 FieldControl = 8;      // u16
inline constexpr qint64 ManufacturerCode = 10; // u16
inline constexpr qint64 ImageType = 12;        // u16
inline constexpr qint64 FileVersion = 14;      // u32
inline constexpr qint64 StackVersion = 18;     // u16
inline constexpr qint64 HeaderString = 20;     // char[32]
inline constexpr qint64 TotalImageSize = 52;   // u32
inline constexpr qint64 Optional = 56;         // optional fields follow in field-control bit order
}

// Header field control bits.
namespace fieldcontrol {
inline constexpr std::uint16_t SecurityCredentialVersion = 0x0001;  // + u8
inline constexpr std::uint16_t DeviceSpecificFile = 0x0002;         // + EUI64 upgrade file destination
inline constexpr std::uint16_t HardwareVersions = 0x0004;           // + u16 min, u16 max
inline constexpr std::uint16_t Known = 0x0007;
}

// Sub-element tag identifiers.
namespace tag {
inline constexpr std::uint16_t UpgradeImage = 0x0000;
inline constexpr std::uint16_t SignatureCs1 = 0x0001;    // 8 B signer IEEE + 42 B r‖s (sect163k1)
inline constexpr std::uint16_t CertificateCs1 = 0x0002;  // 48 B implicit certificate
inline constexpr std::uint16_t IntegrityCode = 0x0003;   // 16 B AES-MMO hash
inline constexpr std::uint16_t PictureData = 0x0004;
inline constexpr std::uint16_t SignatureCs2 = 0x0005;    // 8 B signer IEEE + 72 B r‖s (sect283k1)
inline constexpr std::uint16_t CertificateCs2 = 0x0006;  // 74 B implicit certificate
inline constexpr std::uint16_t ManufacturerFirst = 0xF000;  // 0xF000..0xFFFF manufacturer specific
inline constexpr std::uint16_t TelinkAes = 0xF000;  // Telink: 2 info bytes between length and data
}

// Image type values with a meaning fixed by the cluster (0x0000..0xFFBF are manufacturer specific).
namespace imagetype {
inline constexpr std::uint16_t SecurityCredential = 0xFFC0;
inline constexpr std::uint16_t Configuration = 0xFFC1;
inline constexpr std::uint16_t Log = 0xFFC2;
inline constexpr std::uint16_t Picture = 0xFFC3;
inline constexpr std::uint16_t Wildcard = 0xFFFF;
// 0xFFC0..0xFFC2 are device-specific files: they carry an upgrade file destination.
inline constexpr bool isDeviceSpecific(std::uint16_t t) { return t >= SecurityCredential && t <= Log; }
}

// Hardware version u16: high byte version, low byte revision.
struct HardwareVersionRange {
    std::uint16_t minimum = 0;
    std::uint16_t maximum = 0;
    friend bool operator==(const HardwareVersionRange&, const HardwareVersionRange&) = default;
};

struct OtaHeader {
    std::uint16_t headerVersion = kOtaHeaderVersion;
    // Wire value. The builder recomputes it (mandatory + optional fields + extraHeaderBytes).
    std::uint16_t headerLength = 0;
    // Wire value. The builder derives bits 0..2 from the optional fields and keeps bits 3..15.
    std::uint16_t fieldControl = 0;
    std::uint16_t manufacturerCode = 0;
    std::uint16_t imageType = 0;
    std::uint32_t fileVersion = 0;  // see FileVersion
    std::uint16_t stackVersion = 0x0002;  // see stackVersionName(); 2 = ZigBee PRO
    QByteArray headerString;  // at most 32 bytes, without the NUL padding
    // Wire value: bytes from the identifier to the end of the last sub-element, header
    // included. The builder recomputes it.
    std::uint32_t totalImageSize = 0;
    std::optional<std::uint8_t> securityCredentialVersion;  // 0 SE 1.0, 1 SE 1.1, 2 SE 2.0
    // EUI64 as a number (0x0011223344556677 is written 77 66 .. 00 on the wire).
    std::optional<std::uint64_t> upgradeFileDestination;
    std::optional<HardwareVersionRange> hardwareVersions;
    // Bytes between the known fields and headerLength (seen in the wild; kept on rewrite).
    QByteArray extraHeaderBytes;

    // Bytes the fields selected by the optional members occupy: 56..69.
    qint64 knownFieldsSize() const;
    friend bool operator==(const OtaHeader&, const OtaHeader&) = default;
};

struct SubElement {
    std::uint16_t tag = 0;
    QByteArray data;
    // Telink 0xF000 layout: two manufacturer bytes between the length and the data that the
    // length does not count (zigbee-herdsman OtaTagId.TelinkAES). Absent for the spec layout.
    std::optional<std::array<std::uint8_t, 2>> telinkInfo;
    qint64 offset = -1;  // file offset of the tag when parsed; -1 for a built element

    qint64 encodedSize() const { return kSubElementHeaderSize + (telinkInfo ? 2 : 0) + data.size(); }
    qint64 dataOffset() const { return offset < 0 ? -1 : offset + kSubElementHeaderSize + (telinkInfo ? 2 : 0); }
    friend bool operator==(const SubElement& a, const SubElement& b)
    {
        return a.tag == b.tag && a.data == b.data && a.telinkInfo == b.telinkInfo;  // offsets are positions, not content
    }
};

struct OtaFile {
    OtaHeader header;
    std::vector<SubElement> elements;
    // Parsed files only: vendor bytes before the identifier and after the total image size.
    QByteArray prefix;
    QByteArray trailing;

    const SubElement* find(std::uint16_t tag) const;
    friend bool operator==(const OtaFile&, const OtaFile&) = default;
};

} // namespace otalab::core::zigbee
