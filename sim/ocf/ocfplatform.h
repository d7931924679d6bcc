// SPDX-License-Identifier: Apache-2.0
// OcfSimPlatform: the SwUpdatePlatform of a simulated OCF device. Flash is a model: the
// download slot is "bytes stored" (no copy of the image: the fleet's shared OcfImages hold
// the bytes, the fleet knows which variant a device received), validate() returns the
// variant's cached verdict, persist() keeps the record in the device's struct (its flash).
// OcfDeviceSlot: the machine and its platform, allocated while the device works.
#pragma once

#include "core/ocf/swupdate_device.h"

#include <cstddef>

namespace otalab::sim {

class OcfFleet;

class OcfSimPlatform final : public core::ocf::SwUpdatePlatform {
public:
    OcfSimPlatform(OcfFleet& fleet, std::size_t device) : m_fleet(fleet), m_device(device) {}

    QString runningVersion() const override;
    std::uint64_t slotCapacity() const override;
    Result<core::ocf::SwUpdateImageInfo> readHeader(QByteArrayView firstBytes) const override;
    void eraseSlot() override;
    // False when a power cut armed at this write fires (the write does not happen).
    bool writeSlot(std::uint64_t offset, QByteArrayView data) override;
    std::uint64_t storedBytes() const override;
    Result<core::ocf::SwUpdateImageInfo> validate(std::uint64_t imageBytes) override;
    void apply() override;
    void persist(const core::ocf::SwUpdatePersisted& record) override;

private:
    OcfFleet& m_fleet;
    std::size_t m_device;
};

class OcfDeviceSlot {
public:
    OcfDeviceSlot(OcfFleet& fleet, std::size_t device, core::ocf::SwUpdateDeviceConfig config)
        : platform(fleet, device), machine(std::move(config), platform)
    {
    }
    OcfSimPlatform platform;
    core::ocf::SwUpdateDevice machine;
};

} // namespace otalab::sim
