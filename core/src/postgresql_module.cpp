// PostgreSQL support as a module the host loads only when storage.url is postgresql://: libpq and what it
// pulls in (GnuTLS, Kerberos, LDAP...) stay out of a SQLite-only host's memory.
#include <Poco/Data/PostgreSQL/Connector.h>

extern "C" __attribute__((visibility("default"))) void tessie_register_postgresql() {
  Poco::Data::PostgreSQL::Connector::registerConnector();
}
