// Generated from openapi.json by `npm run gen:api` (build/gen-api-rules.mjs); never edit by hand.

/** apiRules holds each field's constraints as the server's OpenAPI document states them. */
export const apiRules = {
  "ChangeEmailInput": {
    "new_email": {
      "maxLength": 254,
      "format": "email"
    },
    "password": {
      "format": "password"
    }
  },
  "ChangePasswordInput": {
    "current_password": {
      "format": "password"
    },
    "new_password": {
      "minLength": 8,
      "format": "password"
    }
  },
  "DeleteAccountInput": {
    "password": {
      "format": "password"
    }
  },
  "EmailAccountInput": {
    "display_name": {
      "maxLength": 100
    },
    "email_address": {
      "maxLength": 254,
      "format": "email"
    },
    "provider": {
      "enum": [
        "gmail",
        "outlook",
        "imap",
        "other"
      ]
    }
  },
  "EmailInput": {
    "email": {
      "maxLength": 254,
      "format": "email"
    }
  },
  "ProfileInput": {
    "first_name": {
      "minLength": 1,
      "maxLength": 100
    },
    "last_name": {
      "minLength": 1,
      "maxLength": 100
    }
  },
  "RegisterInput": {
    "email": {
      "maxLength": 254,
      "format": "email"
    },
    "first_name": {
      "minLength": 1,
      "maxLength": 100
    },
    "last_name": {
      "minLength": 1,
      "maxLength": 100
    },
    "password": {
      "minLength": 8,
      "format": "password"
    }
  },
  "RenameInput": {
    "display_name": {
      "maxLength": 100
    }
  },
  "ResetPasswordInput": {
    "code": {
      "maxLength": 8
    },
    "email": {
      "maxLength": 254,
      "format": "email"
    },
    "new_password": {
      "minLength": 8,
      "format": "password"
    },
    "token": {
      "maxLength": 200
    }
  },
  "RevokeForm": {
    "token_type_hint": {
      "enum": [
        "refresh_token"
      ]
    }
  },
  "TokenForm": {
    "grant_type": {
      "enum": [
        "password",
        "refresh_token"
      ]
    },
    "password": {
      "format": "password"
    }
  },
  "TokenInput": {
    "code": {
      "maxLength": 8
    },
    "email": {
      "maxLength": 254,
      "format": "email"
    },
    "token": {
      "maxLength": 200
    }
  }
} as const;
