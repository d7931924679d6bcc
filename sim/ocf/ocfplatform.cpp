// SPDX-License-Identifier: Apache-2.0
#include "sim/ocf/ocfplatform.h"

#include "sim/ocf/ocffleet.h"

namespace otalab::sim {

QString OcfSimPlatform::runningVersion() const { return m_fleet.runningVersion(m_device); }

std::uint64_t OcfSimPlatform::slotCapacity() const { return m_fleet.slotCapacity(); }

Result<core::ocf::SwUpdateImageInfo> OcfSimPlatform::readHeader(QByteArrayView firstBytes) const
{
    return OcfImages::readHeader(firstBytes);
}

void OcfSimPlatform::eraseSlot() { m_fleet.platformErase(m_device); }

bool OcfSimPlatform::writeSlot(std::uint64_t offset, QByteArrayView data)
{
    return m_fleet.platformWrite(m_device, offset, std::uint64_t(data.size()));
}

std::uint64_t OcfSimPlatform::storedBytes() const { return m_fleet.device(m_device).stored; }

Result<core::ocf::SwUpdateImageInfo> OcfSimPlatform::validate(std::uint64_t imageBytes)
{
    return m_fleet.platformValidate(m_device, imageBytes);
}

void OcfSimPlatform::apply() { m_fleet.platformDevice(m_device).applyPending = true; }

void OcfSimPlatform::persist(const core::ocf::SwUpdatePersisted& record)
{
    m_fleet.platformDevice(m_device).kept = record;
}

} // namespace otalab::sim
