package httpapi

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/google/uuid"
)

// The OpenAPI 3.1 document is generated from the route table and the very Go types the
// handlers decode and encode, so it cannot drift from the code. Struct tags add what Go's
// types cannot say: format, minLength, maxLength, enum, example and doc (a description).

type object = map[string]any

var pathParam = regexp.MustCompile(`\{([a-z_]+)\}`)

// mustSpec builds the document. A type it cannot describe is a programming error, found by
// the first test that builds a server.
func mustSpec(routes []route, version string) []byte {
	g := &schemaGen{defs: object{}}
	paths := object{}
	for _, rt := range routes {
		item, _ := paths[rt.path].(object)
		if item == nil {
			item = object{}
			paths[rt.path] = item
		}
		item[strings.ToLower(rt.method)] = g.operation(rt)
	}
	if version == "" {
		version = "dev"
	}
	doc := object{
		"openapi": "3.1.0",
		"info": object{
			"title":   "Gatehouse",
			"version": version,
			"description": "Registration and sign-in for a web app: register, OAuth2 password sign-in, " +
				"rotating refresh tokens, browser sessions in an HttpOnly cookie, profile, sessions and connected " +
				"email accounts. Errors are FastAPI-shaped: {\"detail\": \"…\", \"code\": \"…\"}, and 422 " +
				"{\"detail\": [{\"loc\", \"msg\", \"type\"}]} for invalid input.",
		},
		"paths": paths,
		"components": object{
			"schemas": g.defs,
			"securitySchemes": object{
				"OAuth2PasswordBearer": object{
					"type":  "oauth2",
					"flows": object{"password": object{"tokenUrl": "/api/auth/token", "scopes": object{}}},
				},
			},
		},
	}
	b, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		panic(fmt.Sprintf("openapi: %v", err))
	}
	return b
}

func (g *schemaGen) operation(rt route) object {
	op := object{"operationId": rt.op.id, "summary": rt.op.summary, "tags": []string{rt.op.tag}}
	if rt.op.desc != "" {
		op["description"] = rt.op.desc
	}
	var params []object
	for _, m := range pathParam.FindAllStringSubmatch(rt.path, -1) {
		params = append(params, object{
			"name": m[1], "in": "path", "required": true,
			"schema": object{"type": "string", "format": "uuid"},
		})
	}
	for _, p := range rt.op.params {
		schema := object{"type": "string"}
		if p.enum != nil {
			schema["enum"] = p.enum
		}
		params = append(params, object{"name": p.name, "in": "query", "required": p.required, "schema": schema})
	}
	if params != nil {
		op["parameters"] = params
	}
	body, ctype := rt.op.body, "application/json"
	if body == nil {
		body, ctype = rt.op.form, "application/x-www-form-urlencoded"
	}
	if body != nil {
		schema := g.schema(reflect.TypeOf(body))
		if rt.policy.captcha != "" {
			// The policy adds the field the chain reads, to whatever the handler decodes.
			schema = object{"allOf": []object{schema, {"type": "object", "properties": object{
				captchaField: object{"type": "string", "description": "A solved CAPTCHA: for pow, base64 of the ALTCHA " +
					"solution JSON; for turnstile or hcaptcha, the widget's token. Needed only when the server answers " +
					"captcha_required (or always on register with GATEHOUSE_CAPTCHA_REGISTER=always); get a challenge " +
					"from /api/auth/captcha?action=" + rt.policy.captcha + "."},
			}}}}
		}
		op["requestBody"] = object{"required": true, "content": object{ctype: object{"schema": schema}}}
	}
	responses := object{}
	add := func(status int, desc string, body any) {
		r := object{"description": desc}
		if body != nil {
			r["content"] = object{"application/json": object{"schema": g.schema(reflect.TypeOf(body))}}
		}
		responses[strconv.Itoa(status)] = r
	}
	for _, r := range rt.op.responses {
		add(r.status, r.desc, r.body)
	}
	if rt.op.body != nil || rt.op.form != nil || params != nil {
		add(http.StatusUnprocessableEntity, "Invalid input", validationBody{})
	}
	var busy string
	if r, ok := responses[strconv.Itoa(http.StatusServiceUnavailable)].(object); ok {
		busy, _ = r["description"].(string)
	}
	g.policy(op, rt.policy, busy, add)
	op["responses"] = responses
	return op
}

// policy documents what the route's policy enforces, from the same fields chain reads. busy
// is the operation's own 503 description, which a CAPTCHA's 503 joins.
func (g *schemaGen) policy(op object, p policy, busy string, add func(status int, desc string, body any)) {
	if p.bearer {
		op["security"] = []object{{"OAuth2PasswordBearer": []string{}}}
		add(http.StatusUnauthorized, "Not authenticated (code not_authenticated)", errorBody{})
	}
	if p.cookie {
		add(http.StatusForbidden, "Cross-origin request (code cross_origin)", errorBody{})
	}
	if p.rateLimit != "" {
		op["x-rate-limit"] = p.rateLimit
		add(http.StatusTooManyRequests, "Too many attempts (code rate_limited, detail \"Too many attempts. Try again in N seconds.\"); "+
			"Retry-After gives N. Limits per client or per user also send the RateLimit-Policy and RateLimit headers "+
			"(IETF httpapi draft) on every answer; limits on failed sign-ins per account never do, so they reveal nothing.", errorBody{})
	}
	if p.captcha != "" {
		op["x-captcha"] = p.captcha
		forbidden := "A CAPTCHA is needed (code captcha_required: get one from /api/auth/captcha?action=" +
			p.captcha + ") or the one sent is invalid, expired or used (code captcha_invalid)"
		if p.cookie {
			forbidden = "Cross-origin request (code cross_origin); or " + forbidden
		}
		add(http.StatusForbidden, forbidden, errorBody{})
		if busy == "" {
			busy = busyResponse.desc
		}
		add(http.StatusServiceUnavailable, "The CAPTCHA could not be checked (code captcha_unavailable); or "+
			strings.ToLower(busy[:1])+busy[1:], errorBody{})
	}
	op["x-body-limit"] = p.bodyLimit()
	add(http.StatusRequestEntityTooLarge, fmt.Sprintf("Request body over %d bytes (code body_too_large)", p.bodyLimit()), errorBody{})
}

// schemaGen turns Go types into JSON Schema (2020-12, as OpenAPI 3.1 uses), naming each
// struct type once under components/schemas.
type schemaGen struct{ defs object }

var (
	timeType = reflect.TypeFor[time.Time]()
	uuidType = reflect.TypeFor[uuid.UUID]()
)

func (g *schemaGen) schema(t reflect.Type) object {
	switch {
	case t == timeType:
		return object{"type": "string", "format": "date-time"}
	case t == uuidType:
		return object{"type": "string", "format": "uuid"}
	}
	switch t.Kind() {
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.String:
		return object{"type": "string"}
	case reflect.Bool:
		return object{"type": "boolean"}
	case reflect.Int, reflect.Int32, reflect.Int64:
		return object{"type": "integer"}
	case reflect.Slice:
		return object{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Struct:
		if t.Name() == "" {
			return g.object(t)
		}
		name := schemaName(t)
		if _, ok := g.defs[name]; !ok {
			g.defs[name] = object{} // placeholder: stops recursion on self-reference
			g.defs[name] = g.object(t)
		}
		return object{"$ref": "#/components/schemas/" + name}
	}
	panic(fmt.Sprintf("openapi: cannot describe %s", t))
}

func (g *schemaGen) object(t reflect.Type) object {
	props := object{}
	required := []string{}
	for f := range t.Fields() {
		name, opts, _ := strings.Cut(f.Tag.Get("json"), ",")
		if !f.IsExported() || name == "-" || name == "" {
			continue
		}
		p := g.schema(f.Type)
		// A pointer that is always sent (no omitempty) is null when unset: say so, in
		// OpenAPI 3.1's way, so generated clients type it T | null.
		if typ, ok := p["type"].(string); ok && f.Type.Kind() == reflect.Pointer && !strings.Contains(opts, "omitempty") {
			p["type"] = []string{typ, "null"}
		}
		if f.Type.Kind() == reflect.String {
			if v := f.Tag.Get("format"); v != "" {
				p["format"] = v
			}
			if v := f.Tag.Get("example"); v != "" {
				p["examples"] = []string{v}
			}
			for _, k := range []string{"minLength", "maxLength"} {
				if v := f.Tag.Get(k); v != "" {
					n, _ := strconv.Atoi(v)
					p[k] = n
				}
			}
			if v := f.Tag.Get("enum"); v != "" {
				p["enum"] = strings.Split(v, ",")
			}
		}
		if v := f.Tag.Get("doc"); v != "" && p["$ref"] == nil {
			p["description"] = v
		}
		props[name] = p
		if !strings.Contains(opts, "omitempty") {
			required = append(required, name)
		}
	}
	return object{"type": "object", "properties": props, "required": required}
}

// schemaName is a type's name as the document shows it: userResponse → UserResponse.
func schemaName(t reflect.Type) string {
	r := []rune(t.Name())
	r[0] = unicode.ToUpper(r[0])
	return string(r)
}
