/// The OpenAPI 3.1 description of the API, served at `/openapi.json`. Written by hand next to the routes; a
/// test checks that it parses and describes every route of `RouteTable`.
enum OpenAPIDocument {
    static let json = #"""
        {
          "openapi": "3.1.0",
          "info": {
            "title": "aigov",
            "version": "1.0.0",
            "description": "Questions about AI-governance texts answered with passages cited to article, section and\#
         page. Errors are {\"detail\": \"...\"}; every response carries X-Request-Id."
          },
          "paths": {
            "/": {
              "get": {
                "summary": "Ask page",
                "description": "A web page to ask questions, with answers streamed and sources shown with section and\#
         page.",
                "operationId": "askPage",
                "responses": {
                  "200": {
                    "description": "HTML page",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/health": {
              "get": {
                "summary": "Liveness",
                "operationId": "health",
                "responses": {
                  "200": {
                    "description": "Alive",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "status": {
                              "type": "string",
                              "const": "healthy"
                            }
                          }
                        }
                      }
                    }
                  }
                }
              }
            },
            "/ready": {
              "get": {
                "summary": "Readiness",
                "description": "200 once the index and database are open and answer; else 503.",
                "operationId": "ready",
                "responses": {
                  "200": {
                    "description": "Ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object",
                          "properties": {
                            "status": {
                              "type": "string"
                            },
                            "documents": {
                              "type": "integer"
                            },
                            "chunks": {
                              "type": "integer"
                            },
                            "index_vectors": {
                              "type": "integer"
                            }
                          }
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "Not ready",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/metrics": {
              "get": {
                "summary": "Prometheus metrics",
                "operationId": "metrics",
                "responses": {
                  "200": {
                    "description": "Text exposition format",
                    "content": {
                      "text/plain": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/openapi.json": {
              "get": {
                "summary": "This document",
                "operationId": "openapi",
                "responses": {
                  "200": {
                    "description": "OpenAPI 3.1",
                    "content": {
                      "application/json": {
                        "schema": {
                          "type": "object"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/docs": {
              "get": {
                "summary": "API documentation page",
                "operationId": "docs",
                "responses": {
                  "200": {
                    "description": "HTML page",
                    "content": {
                      "text/html": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/search/query": {
              "post": {
                "summary": "Answer a question with citations",
                "description": "Retrieves passages and answers from them with the configured model, or extractively\#
         without one or when it fails (mode \"extractive\", still 200). With stream=true or Accept: text/event-stream\#
         the answer is server-sent events: `citations` ({citations, retrieval_ms}) first, then `delta` ({text}) as\#
         the answer is written, then `done` ({answer, mode, grounded, unsupported_sentences, cited_sources, timings, fallback_reason});\#
         `error` ({detail}) if it breaks off. Rate-limited per client address.",
                "operationId": "query",
                "tags": [
                  "search"
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/QueryRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "The answer",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/QueryResponse"
                        }
                      },
                      "text/event-stream": {
                        "schema": {
                          "type": "string"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed body (not JSON, bad multipart)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "Body over the cap (JSON 1 MB, uploads 50 MB)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "Wrong Content-Type",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "422": {
                    "description": "A field breaks a rule; the detail names it",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "429": {
                    "description": "Rate limited; see Retry-After",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/search/retrieve": {
              "post": {
                "summary": "Retrieve passages (no LLM)",
                "operationId": "retrieve",
                "tags": [
                  "search"
                ],
                "description": "Rate-limited per client address.",
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/RetrieveRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "Best passages first",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/RetrieveResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed body (not JSON, bad multipart)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "Body over the cap (JSON 1 MB, uploads 50 MB)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "Wrong Content-Type",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "422": {
                    "description": "A field breaks a rule; the detail names it",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "429": {
                    "description": "Rate limited; see Retry-After",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/auth/login": {
              "post": {
                "summary": "Log in",
                "description": "OAuth2 password form or JSON. LOGIN_RATE_LIMIT_PER_MINUTE requests per client address;\#
         5 failures for an account from one address in 15 minutes, then a doubling back-off, and 100 per account\#
         from all addresses, give 429 with Retry-After; 503 with Retry-After when too many password hashes wait.\#
         The token response is not cacheable (Cache-Control: no-store).",
                "operationId": "login",
                "tags": [
                  "auth"
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/x-www-form-urlencoded": {
                      "schema": {
                        "$ref": "#/components/schemas/LoginRequest"
                      }
                    },
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/LoginRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "200": {
                    "description": "A bearer token (HS256 JWT)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Token"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Incorrect username or password",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "Wrong Content-Type",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "422": {
                    "description": "A field breaks a rule; the detail names it",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "429": {
                    "description": "Rate limited; see Retry-After",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "503": {
                    "description": "Too many logins waiting for a password hash; see Retry-After",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/auth/me": {
              "get": {
                "summary": "The logged-in user",
                "operationId": "me",
                "tags": [
                  "auth"
                ],
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The user",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Me"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Missing or invalid bearer token (WWW-Authenticate: Bearer)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/content/ingest": {
              "post": {
                "summary": "Ingest a text document",
                "operationId": "ingestText",
                "tags": [
                  "content"
                ],
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "application/json": {
                      "schema": {
                        "$ref": "#/components/schemas/IngestRequest"
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Ingested",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/IngestResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed body (not JSON, bad multipart)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Missing or invalid bearer token (WWW-Authenticate: Bearer)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The user is not an admin",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "Body over the cap (JSON 1 MB, uploads 50 MB)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "Wrong Content-Type",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "422": {
                    "description": "A field breaks a rule; the detail names it",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/content/upload": {
              "post": {
                "summary": "Upload a file (PDF, HTML, Markdown, text, JSON)",
                "operationId": "upload",
                "tags": [
                  "content"
                ],
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "requestBody": {
                  "required": true,
                  "content": {
                    "multipart/form-data": {
                      "schema": {
                        "type": "object",
                        "required": [
                          "file"
                        ],
                        "properties": {
                          "file": {
                            "type": "string",
                            "format": "binary"
                          },
                          "title": {
                            "type": "string"
                          },
                          "source": {
                            "type": "string"
                          },
                          "url": {
                            "type": "string"
                          },
                          "document_id": {
                            "type": "string"
                          }
                        }
                      }
                    }
                  }
                },
                "responses": {
                  "201": {
                    "description": "Ingested",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/IngestResponse"
                        }
                      }
                    }
                  },
                  "400": {
                    "description": "Malformed body (not JSON, bad multipart)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Missing or invalid bearer token (WWW-Authenticate: Bearer)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The user is not an admin",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "413": {
                    "description": "Body over the cap (JSON 1 MB, uploads 50 MB)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "415": {
                    "description": "Wrong Content-Type",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "422": {
                    "description": "A field breaks a rule; the detail names it",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/admin/documents": {
              "get": {
                "summary": "List documents",
                "operationId": "listDocuments",
                "tags": [
                  "admin"
                ],
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "parameters": [
                  {
                    "name": "limit",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 1,
                      "maximum": 200,
                      "default": 50
                    }
                  },
                  {
                    "name": "offset",
                    "in": "query",
                    "schema": {
                      "type": "integer",
                      "minimum": 0,
                      "default": 0
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Most recently updated first",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/DocumentList"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Missing or invalid bearer token (WWW-Authenticate: Bearer)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The user is not an admin",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "422": {
                    "description": "A field breaks a rule; the detail names it",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/admin/documents/{id}": {
              "get": {
                "summary": "A document with its chunks",
                "operationId": "getDocument",
                "tags": [
                  "admin"
                ],
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "The document",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/DocumentDetail"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Missing or invalid bearer token (WWW-Authenticate: Bearer)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The user is not an admin",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No such document",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              },
              "delete": {
                "summary": "Delete a document",
                "operationId": "deleteDocument",
                "tags": [
                  "admin"
                ],
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "parameters": [
                  {
                    "name": "id",
                    "in": "path",
                    "required": true,
                    "schema": {
                      "type": "string"
                    }
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Deleted",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/DeleteResponse"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Missing or invalid bearer token (WWW-Authenticate: Bearer)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The user is not an admin",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "404": {
                    "description": "No such document",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            },
            "/api/admin/health": {
              "get": {
                "summary": "Component health",
                "operationId": "adminHealth",
                "tags": [
                  "admin"
                ],
                "security": [
                  {
                    "bearerAuth": []
                  }
                ],
                "responses": {
                  "200": {
                    "description": "Database, index, embedding model, cache, Qdrant and LLM status",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/AdminHealth"
                        }
                      }
                    }
                  },
                  "401": {
                    "description": "Missing or invalid bearer token (WWW-Authenticate: Bearer)",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  },
                  "403": {
                    "description": "The user is not an admin",
                    "content": {
                      "application/json": {
                        "schema": {
                          "$ref": "#/components/schemas/Error"
                        }
                      }
                    }
                  }
                }
              }
            }
          },
          "components": {
            "schemas": {
              "Error": {
                "type": "object",
                "required": [
                  "detail"
                ],
                "properties": {
                  "detail": {
                    "type": "string"
                  }
                }
              },
              "Citation": {
                "type": "object",
                "properties": {
                  "content": {
                    "type": "string"
                  },
                  "document_title": {
                    "type": "string"
                  },
                  "document_source": {
                    "type": "string"
                  },
                  "document_url": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "chunk_index": {
                    "type": "integer"
                  },
                  "chunk_id": {
                    "type": "string"
                  },
                  "document_id": {
                    "type": "string"
                  },
                  "section": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "page_start": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "page_end": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "score": {
                    "type": "number"
                  }
                }
              },
              "Filters": {
                "type": "object",
                "additionalProperties": false,
                "properties": {
                  "document_ids": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "maxItems": 100
                  },
                  "sources": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "maxItems": 100
                  },
                  "doc_types": {
                    "type": "array",
                    "items": {
                      "type": "string",
                      "enum": [
                        "pdf",
                        "html",
                        "markdown",
                        "text",
                        "json"
                      ]
                    },
                    "maxItems": 100
                  },
                  "section": {
                    "type": "string",
                    "description": "Section prefix, e.g. \"Article 6\" (matches Article 6(1)(a), not Article 60)."
                  }
                }
              },
              "QueryRequest": {
                "type": "object",
                "required": [
                  "question"
                ],
                "additionalProperties": false,
                "properties": {
                  "question": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000
                  },
                  "top_k": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 50,
                    "default": 5
                  },
                  "mode": {
                    "type": "string",
                    "enum": [
                      "hybrid",
                      "dense",
                      "lexical"
                    ],
                    "default": "hybrid"
                  },
                  "filters": {
                    "$ref": "#/components/schemas/Filters"
                  },
                  "stream": {
                    "type": "boolean",
                    "default": false,
                    "description": "Answer as server-sent events (also with Accept: text/event-stream)."
                  }
                }
              },
              "Timings": {
                "type": "object",
                "properties": {
                  "retrieval_ms": {
                    "type": "number"
                  },
                  "generation_ms": {
                    "type": "number"
                  },
                  "total_ms": {
                    "type": "number"
                  },
                  "first_token_ms": {
                    "type": [
                      "number",
                      "null"
                    ]
                  }
                }
              },
              "QueryResponse": {
                "type": "object",
                "properties": {
                  "answer": {
                    "type": "string",
                    "description": "Cites sources as [n]; citations[n-1] is source n."
                  },
                  "citations": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Citation"
                    }
                  },
                  "mode": {
                    "type": "string",
                    "enum": [
                      "generated",
                      "extractive"
                    ]
                  },
                  "grounded": {
                    "type": "boolean",
                    "description": "Every sentence that states something cites a valid source [n] of its own (headings and lead-ins ending in a colon need none)."
                  },
                  "unsupported_sentences": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    },
                    "description": "The answer's sentences, whitespace folded, that state something without citing a valid source: why grounded is false."
                  },
                  "cited_sources": {
                    "type": "array",
                    "items": {
                      "type": "integer"
                    }
                  },
                  "timings": {
                    "$ref": "#/components/schemas/Timings"
                  },
                  "fallback_reason": {
                    "type": [
                      "string",
                      "null"
                    ],
                    "description": "Why the model did not write (all of) the answer."
                  }
                }
              },
              "RetrieveRequest": {
                "type": "object",
                "required": [
                  "query"
                ],
                "additionalProperties": false,
                "properties": {
                  "query": {
                    "type": "string",
                    "minLength": 1,
                    "maxLength": 2000
                  },
                  "top_k": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 50,
                    "default": 5
                  },
                  "mode": {
                    "type": "string",
                    "enum": [
                      "hybrid",
                      "dense",
                      "lexical"
                    ],
                    "default": "hybrid"
                  },
                  "filters": {
                    "$ref": "#/components/schemas/Filters"
                  }
                }
              },
              "RetrieveResponse": {
                "type": "object",
                "properties": {
                  "results": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Citation"
                    }
                  }
                }
              },
              "LoginRequest": {
                "type": "object",
                "required": [
                  "username",
                  "password"
                ],
                "properties": {
                  "username": {
                    "type": "string"
                  },
                  "password": {
                    "type": "string",
                    "format": "password"
                  }
                }
              },
              "Token": {
                "type": "object",
                "properties": {
                  "access_token": {
                    "type": "string"
                  },
                  "token_type": {
                    "type": "string",
                    "const": "bearer"
                  },
                  "expires_in": {
                    "type": "integer"
                  }
                }
              },
              "Me": {
                "type": "object",
                "properties": {
                  "id": {
                    "type": "integer"
                  },
                  "username": {
                    "type": "string"
                  },
                  "email": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "role": {
                    "type": "string",
                    "enum": [
                      "admin",
                      "viewer"
                    ]
                  },
                  "is_active": {
                    "type": "boolean"
                  }
                }
              },
              "IngestRequest": {
                "type": "object",
                "required": [
                  "title",
                  "source",
                  "content"
                ],
                "additionalProperties": false,
                "properties": {
                  "title": {
                    "type": "string",
                    "maxLength": 500
                  },
                  "source": {
                    "type": "string",
                    "maxLength": 500
                  },
                  "url": {
                    "type": "string",
                    "format": "uri"
                  },
                  "content": {
                    "type": "string",
                    "description": "Markdown or plain text."
                  },
                  "metadata": {
                    "type": "object",
                    "additionalProperties": {
                      "type": [
                        "string",
                        "number",
                        "boolean"
                      ]
                    }
                  },
                  "document_id": {
                    "type": "string",
                    "pattern": "^[A-Za-z0-9._:-]{1,200}$",
                    "description": "Default: a slug of the title with a hash of source and title."
                  }
                }
              },
              "IngestResponse": {
                "type": "object",
                "properties": {
                  "document_id": {
                    "type": "string"
                  },
                  "status": {
                    "type": "string",
                    "enum": [
                      "added",
                      "updated",
                      "unchanged"
                    ]
                  },
                  "chunks": {
                    "type": "integer"
                  },
                  "chunks_added": {
                    "type": "integer"
                  },
                  "chunks_removed": {
                    "type": "integer"
                  }
                }
              },
              "Document": {
                "type": "object",
                "properties": {
                  "document_id": {
                    "type": "string"
                  },
                  "title": {
                    "type": "string"
                  },
                  "source": {
                    "type": "string"
                  },
                  "url": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "doc_type": {
                    "type": "string"
                  },
                  "content_hash": {
                    "type": "string"
                  },
                  "metadata": {
                    "type": "object",
                    "additionalProperties": {
                      "type": "string"
                    }
                  },
                  "created_at": {
                    "type": "string",
                    "format": "date-time"
                  },
                  "updated_at": {
                    "type": "string",
                    "format": "date-time"
                  }
                }
              },
              "DocumentList": {
                "type": "object",
                "properties": {
                  "documents": {
                    "type": "array",
                    "items": {
                      "$ref": "#/components/schemas/Document"
                    }
                  },
                  "total": {
                    "type": "integer"
                  },
                  "limit": {
                    "type": "integer"
                  },
                  "offset": {
                    "type": "integer"
                  }
                }
              },
              "Chunk": {
                "type": "object",
                "properties": {
                  "chunk_id": {
                    "type": "string"
                  },
                  "chunk_index": {
                    "type": "integer"
                  },
                  "text": {
                    "type": "string"
                  },
                  "section": {
                    "type": [
                      "string",
                      "null"
                    ]
                  },
                  "heading_path": {
                    "type": "array",
                    "items": {
                      "type": "string"
                    }
                  },
                  "page_start": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "page_end": {
                    "type": [
                      "integer",
                      "null"
                    ]
                  },
                  "char_start": {
                    "type": "integer"
                  },
                  "char_end": {
                    "type": "integer"
                  },
                  "token_count": {
                    "type": "integer"
                  }
                }
              },
              "DocumentDetail": {
                "allOf": [
                  {
                    "$ref": "#/components/schemas/Document"
                  },
                  {
                    "type": "object",
                    "properties": {
                      "chunks": {
                        "type": "array",
                        "items": {
                          "$ref": "#/components/schemas/Chunk"
                        }
                      }
                    }
                  }
                ]
              },
              "DeleteResponse": {
                "type": "object",
                "properties": {
                  "document_id": {
                    "type": "string"
                  },
                  "deleted": {
                    "type": "boolean"
                  },
                  "chunks_removed": {
                    "type": "integer"
                  }
                }
              },
              "AdminHealth": {
                "type": "object",
                "properties": {
                  "status": {
                    "type": "string",
                    "enum": [
                      "ok",
                      "degraded"
                    ]
                  },
                  "database": {
                    "type": "object",
                    "properties": {
                      "status": {
                        "type": "string"
                      },
                      "documents": {
                        "type": "integer"
                      },
                      "chunks": {
                        "type": "integer"
                      }
                    }
                  },
                  "index": {
                    "type": "object",
                    "properties": {
                      "count": {
                        "type": "integer"
                      },
                      "dimension": {
                        "type": "integer"
                      }
                    }
                  },
                  "embedding": {
                    "type": "object",
                    "properties": {
                      "fingerprint": {
                        "type": "string"
                      },
                      "dimension": {
                        "type": "integer"
                      }
                    }
                  },
                  "cache": {
                    "type": [
                      "object",
                      "null"
                    ],
                    "properties": {
                      "entries": {
                        "type": "integer"
                      },
                      "hits": {
                        "type": "integer"
                      },
                      "misses": {
                        "type": "integer"
                      },
                      "hit_rate": {
                        "type": [
                          "number",
                          "null"
                        ]
                      }
                    }
                  },
                  "qdrant": {
                    "type": "object",
                    "description": "The Qdrant mirror: outbox rows to push, the last push outcome, a reachability probe",
                    "properties": {
                      "configured": {
                        "type": "boolean"
                      },
                      "backend": {
                        "type": "string",
                        "enum": ["local", "qdrant"],
                        "description": "Where dense search runs (RETRIEVAL_BACKEND)"
                      },
                      "collection": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "pending": {
                        "type": [
                          "integer",
                          "null"
                        ]
                      },
                      "last_success": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "format": "date-time"
                      },
                      "last_error": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "last_error_at": {
                        "type": [
                          "string",
                          "null"
                        ],
                        "format": "date-time"
                      },
                      "reachable": {
                        "type": ["boolean", "null"],
                        "description": "Whether the peer answered a probe (at most 15 s old); null when not configured"
                      },
                      "points": {
                        "type": ["integer", "null"],
                        "description": "Points in the collection, from the probe"
                      },
                      "probe_error": {
                        "type": ["string", "null"],
                        "description": "Stable code and message of the failed probe"
                      },
                      "probe_ms": {
                        "type": ["number", "null"],
                        "description": "How long the probe took"
                      },
                      "checked_at": {
                        "type": ["string", "null"],
                        "format": "date-time"
                      }
                    }
                  },
                  "llm": {
                    "type": "object",
                    "properties": {
                      "configured": {
                        "type": "boolean"
                      },
                      "base_url_host": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "model": {
                        "type": [
                          "string",
                          "null"
                        ]
                      },
                      "reachable": {
                        "type": ["boolean", "null"],
                        "description": "Whether the peer answered a probe (at most 15 s old); null when not configured"
                      },
                      "probe_error": {
                        "type": ["string", "null"],
                        "description": "Stable code and message of the failed probe"
                      },
                      "probe_ms": {
                        "type": ["number", "null"],
                        "description": "How long the probe took"
                      },
                      "checked_at": {
                        "type": ["string", "null"],
                        "format": "date-time"
                      }
                    }
                  }
                }
              }
            },
            "securitySchemes": {
              "bearerAuth": {
                "type": "http",
                "scheme": "bearer",
                "bearerFormat": "JWT",
                "description": "From POST /api/auth/login"
              }
            }
          },
          "tags": [
            {
              "name": "search"
            },
            {
              "name": "auth"
            },
            {
              "name": "content"
            },
            {
              "name": "admin"
            }
          ]
        }
        """#
}
