// SPDX-License-Identifier: Apache-2.0
// OtaHeader / OtaFile helpers.
#include "core/zigbee/ota_file.h"

namespace otalab::core::zigbee {

qint64 OtaHeader::knownFieldsSize() const
{
    return kMandatoryHeaderSize + (securityCredentialVersion ? 1 : 0) + (upgradeFileDestination ? 8 : 0)
         + (hardwareVersions ? 4 : 0);
}

const SubElement* OtaFile::find(std::uint16_t t) const
{
    for (const SubElement& e : elements)
        if (e.tag == t)
            return &e;
    return nullptr;
}

} // namespace otalab::core::zigbee
