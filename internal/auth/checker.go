package auth

// Checker collects invalid inputs by the rules auth judges its own inputs by, so another
// domain's input is refused in the same terms: one validation error (CodeInvalidInput) listing
// every invalid field. The zero value is ready to use.
type Checker struct{ c checker }

// Email records field as invalid unless v, already normalised by NormalizeEmail, is an address
// auth would register.
func (k *Checker) Email(field, v string) { k.c.email(field, v) }

// Text records field as invalid unless v, already trimmed, is display text auth would accept
// as a name: at most MaxNameLength characters, no control or formatting characters, something
// visible, and not empty unless optional.
func (k *Checker) Text(field, v string, optional bool) { k.c.text(field, v, optional) }

// Add records field as invalid, with FastAPI's msg and type.
func (k *Checker) Add(field, msg, typ string) { k.c.add(field, msg, typ) }

// Err returns nil if nothing was recorded, else the validation error listing every field.
func (k *Checker) Err() error { return k.c.err() }

// NormalizeEmail returns the form in which an address is stored and compared: trimmed,
// composed (NFC) and lower-cased, so one address typed two ways is one address.
func NormalizeEmail(s string) string { return normalizeEmail(s) }
