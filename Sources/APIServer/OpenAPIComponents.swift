/// `components` of `/openapi.json`: the schemas of request and response bodies, and the bearer scheme. Written
/// as JSON because that is what a reader of the spec knows; the limits the request decoders enforce are
/// interpolated from their constants, so the document cannot quote a stale one. The paths come from
/// ``APIContract``. A response schema lists as `required` every field the server always writes, and
/// `ContractValidationTests` checks real responses against these schemas, undeclared fields included.
enum OpenAPIComponents {
    static let json = #"""
        {
          "schemas": {
            "Error": {"type": "object", "required": ["detail"], "properties": {"detail": {"type": "string"}}},
            "Readiness": {
              "type": "object",
              "required": ["status", "documents", "chunks", "index_vectors", "feed"],
              "properties": {
                "status": {"type": "string"},
                "documents": {"type": "integer"},
                "chunks": {"type": "integer"},
                "index_vectors": {"type": "integer"},
                "feed": {"$ref": "#/components/schemas/FeedLag"}
              }
            },
            "FeedLag": {
              "type": "object",
              "description": "How far this replica's index follows the store's change feed.",
              "required": [
                "applied_sequence", "store_sequence", "lag_changes", "lag_seconds", "last_poll_seconds_ago",
                "last_error"
              ],
              "properties": {
                "applied_sequence": {"type": "integer", "description": "Every change up to this number is indexed here."},
                "store_sequence": {"type": "integer", "description": "The newest change committed to the store."},
                "lag_changes": {"type": "integer", "description": "Changes committed but not yet indexed here."},
                "lag_seconds": {
                  "type": "number", "description": "Age of the oldest change not yet indexed here; 0 when none."
                },
                "last_poll_seconds_ago": {
                  "type": ["number", "null"], "description": "Since the last successful poll; null before the first."
                },
                "last_error": {"type": ["string", "null"], "description": "The last poll's failure, until one succeeds."}
              }
            },
            "Citation": {
              "type": "object",
              "required": [
                "content", "document_title", "document_source", "document_url", "chunk_index", "chunk_id",
                "document_id", "section", "page_start", "page_end", "score"
              ],
              "properties": {
                "content": {"type": "string"},
                "document_title": {"type": "string"},
                "document_source": {"type": "string"},
                "document_url": {"type": ["string", "null"]},
                "chunk_index": {"type": "integer"},
                "chunk_id": {"type": "string"},
                "document_id": {"type": "string"},
                "section": {"type": ["string", "null"]},
                "page_start": {"type": ["integer", "null"]},
                "page_end": {"type": ["integer", "null"]},
                "score": {"type": "number"},
                "live_web": {
                  "type": "boolean",
                  "description": "Present (true) on a passage of a page fetched from the live web for this query."
                }
              }
            },
            "Filters": {
              "type": "object",
              "additionalProperties": false,
              "properties": {
                "document_ids": {
                  "type": "array",
                  "items": {"type": "string", "maxLength": \#(SearchLimits.maxFilterValueCharacters)},
                  "maxItems": \#(SearchLimits.maxFilterValues)
                },
                "sources": {
                  "type": "array",
                  "items": {"type": "string", "maxLength": \#(SearchLimits.maxFilterValueCharacters)},
                  "maxItems": \#(SearchLimits.maxFilterValues)
                },
                "doc_types": {
                  "type": "array",
                  "items": {"type": "string", "maxLength": \#(SearchLimits.maxFilterValueCharacters)},
                  "maxItems": \#(SearchLimits.maxFilterValues),
                  "description": "The stored document types: pdf, html, markdown, text, json (another value matches \#
        nothing)."
                },
                "section": {
                  "type": "string",
                  "description": "Section prefix, e.g. \"Article 6\" (matches Article 6(1)(a), not Article 60)."
                }
              }
            },
            "QueryRequest": {
              "type": "object",
              "required": ["question"],
              "additionalProperties": false,
              "properties": {
                "question": {"type": "string", "minLength": 1, "maxLength": \#(SearchLimits.maxQuestionCharacters)},
                "top_k": {
                  "type": "integer", "minimum": \#(SearchLimits.topK.lowerBound),
                  "maximum": \#(SearchLimits.topK.upperBound), "default": 5
                },
                "mode": {"type": "string", "enum": ["hybrid", "dense", "lexical"], "default": "hybrid"},
                "filters": {"$ref": "#/components/schemas/Filters"},
                "stream": {
                  "type": "boolean",
                  "default": false,
                  "description": "Answer as server-sent events (also with Accept: text/event-stream)."
                },
                "use_web_fallback": {
                  "type": "boolean",
                  "default": false,
                  "description": "Add live web passages when ENABLE_REALTIME_WEB is on and local retrieval is weak."
                }
              }
            },
            "Timings": {
              "type": "object",
              "required": ["retrieval_ms", "generation_ms", "total_ms"],
              "properties": {
                "retrieval_ms": {"type": "number"},
                "generation_ms": {"type": "number"},
                "total_ms": {"type": "number"},
                "first_token_ms": {"type": ["number", "null"]}
              }
            },
            "QueryResponse": {
              "allOf": [
                {"$ref": "#/components/schemas/AnswerSummary"},
                {
                  "type": "object",
                  "required": ["citations"],
                  "properties": {
                    "citations": {"type": "array", "items": {"$ref": "#/components/schemas/Citation"}},
                    "web_fallback": {
                      "type": "object",
                      "description": "What the live web fallback did; present when the query asked for it.",
                      "required": ["status", "passages", "pages_read", "ms"],
                      "properties": {
                        "status": {
                          "type": "string",
                          "enum": [
                            "used", "disabled", "no_provider", "local_sufficient", "no_pages",
                            "PROVIDER_UNAVAILABLE", "PROVIDER_REPLY", "TIMEOUT"
                          ]
                        },
                        "passages": {"type": "integer"},
                        "pages_read": {"type": "integer"},
                        "ms": {"type": "number"}
                      }
                    }
                  }
                }
              ]
            },
            "CitationsEvent": {
              "type": "object",
              "description": "The stream's first event, `citations`: the sources the answer will cite.",
              "required": ["citations", "retrieval_ms"],
              "properties": {
                "citations": {"type": "array", "items": {"$ref": "#/components/schemas/Citation"}},
                "retrieval_ms": {"type": "number"}
              }
            },
            "DeltaEvent": {
              "type": "object",
              "description": "A `delta` event: the next piece of the answer's text.",
              "required": ["text"],
              "properties": {"text": {"type": "string"}}
            },
            "AnswerSummary": {
              "type": "object",
              "description": "The answer without its sources: the JSON reply's fields but citations, and the stream's \#
        `done` event.",
              "required": ["answer", "mode", "grounded", "unsupported_sentences", "cited_sources", "timings"],
              "properties": {
                "answer": {"type": "string", "description": "Cites sources as [n]; citations[n-1] is source n."},
                "mode": {"type": "string", "enum": ["generated", "extractive"]},
                "grounded": {
                  "type": "boolean",
                  "description": "Every sentence that states something cites a valid source [n] of its own (headings \#
        and lead-ins ending in a colon need none)."
                },
                "unsupported_sentences": {
                  "type": "array",
                  "items": {"type": "string"},
                  "description": "The answer's sentences, whitespace folded, that state something without citing a \#
        valid source: why grounded is false."
                },
                "cited_sources": {"type": "array", "items": {"type": "integer"}},
                "timings": {"$ref": "#/components/schemas/Timings"},
                "fallback_reason": {
                  "type": ["string", "null"],
                  "description": "Why the model did not write (all of) the answer."
                }
              }
            },
            "RetrieveRequest": {
              "type": "object",
              "required": ["query"],
              "additionalProperties": false,
              "properties": {
                "query": {"type": "string", "minLength": 1, "maxLength": \#(SearchLimits.maxQuestionCharacters)},
                "top_k": {
                  "type": "integer", "minimum": \#(SearchLimits.topK.lowerBound),
                  "maximum": \#(SearchLimits.topK.upperBound), "default": 5
                },
                "mode": {"type": "string", "enum": ["hybrid", "dense", "lexical"], "default": "hybrid"},
                "filters": {"$ref": "#/components/schemas/Filters"}
              }
            },
            "RetrieveResponse": {
              "type": "object",
              "required": ["results"],
              "properties": {"results": {"type": "array", "items": {"$ref": "#/components/schemas/Citation"}}}
            },
            "LoginRequest": {
              "type": "object",
              "required": ["username", "password"],
              "properties": {
                "username": {"type": "string", "maxLength": \#(AuthRoutes.maxUsername)},
                "password": {"type": "string", "format": "password"}
              }
            },
            "Token": {
              "type": "object",
              "required": ["access_token", "token_type", "expires_in"],
              "properties": {
                "access_token": {"type": "string"},
                "token_type": {"type": "string", "const": "bearer"},
                "expires_in": {"type": "integer"}
              }
            },
            "Me": {
              "type": "object",
              "required": ["id", "username", "email", "role", "is_active"],
              "properties": {
                "id": {"type": "integer"},
                "username": {"type": "string"},
                "email": {"type": ["string", "null"]},
                "role": {"type": "string", "enum": ["admin", "viewer"]},
                "is_active": {"type": "boolean"}
              }
            },
            "User": {
              "type": "object",
              "required": ["id", "username", "email", "role", "is_active", "created_at"],
              "properties": {
                "id": {"type": "integer"},
                "username": {"type": "string"},
                "email": {"type": ["string", "null"]},
                "role": {"type": "string", "enum": ["admin", "viewer"]},
                "is_active": {"type": "boolean"},
                "created_at": {"type": "string", "format": "date-time"}
              }
            },
            "UserList": {
              "type": "object",
              "required": ["users"],
              "properties": {"users": {"type": "array", "items": {"$ref": "#/components/schemas/User"}}}
            },
            "NewUserRequest": {
              "type": "object",
              "required": ["username", "password"],
              "additionalProperties": false,
              "properties": {
                "username": {"type": "string", "minLength": 1, "maxLength": 150},
                "password": {"type": "string", "minLength": \#(PasswordPolicy.minimumCharacters)},
                "role": {"type": "string", "enum": ["admin", "viewer"], "default": "viewer"},
                "email": {"type": "string"}
              }
            },
            "UserChangeRequest": {
              "type": "object",
              "minProperties": 1,
              "additionalProperties": false,
              "properties": {
                "password": {"type": "string", "minLength": \#(PasswordPolicy.minimumCharacters)},
                "role": {"type": "string", "enum": ["admin", "viewer"]},
                "is_active": {"type": "boolean"}
              }
            },
            "IngestRequest": {
              "type": "object",
              "required": ["title", "source", "content"],
              "additionalProperties": false,
              "properties": {
                "title": {"type": "string", "maxLength": \#(ContentRoutes.maxTitle)},
                "source": {"type": "string", "maxLength": \#(ContentRoutes.maxTitle)},
                "url": {"type": "string", "format": "uri", "maxLength": \#(ContentRoutes.maxURL)},
                "content": {"type": "string", "description": "Markdown or plain text."},
                "metadata": {
                  "type": "object",
                  "additionalProperties": {"type": ["string", "number", "boolean"]},
                  "maxProperties": \#(ContentRoutes.maxMetadataEntries)
                },
                "document_id": {
                  "type": "string",
                  "pattern": "^[A-Za-z0-9._:-]{1,200}$",
                  "description": "Default: a slug of the title with a hash of source and title."
                }
              }
            },
            "UploadForm": {
              "type": "object",
              "required": ["file"],
              "properties": {
                "file": {"type": "string", "format": "binary"},
                "title": {"type": "string"},
                "source": {"type": "string"},
                "url": {"type": "string"},
                "document_id": {"type": "string"}
              }
            },
            "IngestResponse": {
              "type": "object",
              "required": ["document_id", "status", "chunks", "chunks_added", "chunks_removed"],
              "properties": {
                "document_id": {"type": "string"},
                "status": {"type": "string", "enum": ["added", "updated", "unchanged"]},
                "chunks": {"type": "integer"},
                "chunks_added": {"type": "integer"},
                "chunks_removed": {"type": "integer"}
              }
            },
            "Document": {
              "type": "object",
              "required": [
                "document_id", "title", "source", "url", "doc_type", "content_hash", "metadata", "created_at",
                "updated_at"
              ],
              "properties": {
                "document_id": {"type": "string"},
                "title": {"type": "string"},
                "source": {"type": "string"},
                "url": {"type": ["string", "null"]},
                "doc_type": {"type": "string"},
                "content_hash": {"type": "string"},
                "metadata": {"type": "object", "additionalProperties": {"type": "string"}},
                "created_at": {"type": "string", "format": "date-time"},
                "updated_at": {"type": "string", "format": "date-time"}
              }
            },
            "DocumentList": {
              "type": "object",
              "required": ["documents", "total", "limit", "offset"],
              "properties": {
                "documents": {"type": "array", "items": {"$ref": "#/components/schemas/Document"}},
                "total": {"type": "integer"},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"}
              }
            },
            "Chunk": {
              "type": "object",
              "required": [
                "chunk_id", "chunk_index", "text", "section", "heading_path", "page_start", "page_end", "char_start",
                "char_end", "token_count"
              ],
              "properties": {
                "chunk_id": {"type": "string"},
                "chunk_index": {"type": "integer"},
                "text": {"type": "string"},
                "section": {"type": ["string", "null"]},
                "heading_path": {"type": "array", "items": {"type": "string"}},
                "page_start": {"type": ["integer", "null"]},
                "page_end": {"type": ["integer", "null"]},
                "char_start": {"type": "integer"},
                "char_end": {"type": "integer"},
                "token_count": {"type": "integer"}
              }
            },
            "DocumentDetail": {
              "allOf": [
                {"$ref": "#/components/schemas/Document"},
                {
                  "type": "object",
                  "required": ["chunks"],
                  "properties": {"chunks": {"type": "array", "items": {"$ref": "#/components/schemas/Chunk"}}}
                }
              ]
            },
            "OriginRequest": {
              "type": "object",
              "additionalProperties": false,
              "description": "On POST, name and url are required; on PUT every field is optional.",
              "properties": {
                "name": {"type": "string", "maxLength": 200},
                "url": {"type": "string", "format": "uri", "description": "Absolute http or https URL."},
                "source": {"type": ["string", "null"]},
                "frequency_hours": {"type": "integer", "minimum": 1, "maximum": 8760, "default": 24},
                "enabled": {"type": "boolean", "default": true},
                "country_code": {"type": ["string", "null"], "description": "ISO 3166-1 alpha-2 (EU accepted)."},
                "topic_tags": {"type": "array", "items": {"type": "string"}, "maxItems": 32},
                "crawl_priority": {"type": "integer", "minimum": 1, "maximum": 10, "default": 5},
                "allowed_path_patterns": {
                  "type": "array", "items": {"type": "string"}, "maxItems": 64,
                  "description": "Regular expressions; a page's path must match one (none given: every path)."
                },
                "excluded_path_patterns": {"type": "array", "items": {"type": "string"}, "maxItems": 64},
                "sitemap_url": {"type": ["string", "null"]},
                "max_depth": {"type": ["integer", "null"], "minimum": 0, "maximum": 20},
                "max_pages": {"type": ["integer", "null"], "minimum": 1, "maximum": 100000}
              }
            },
            "Origin": {
              "type": "object",
              "required": [
                "id", "name", "url", "source", "enabled", "frequency_hours", "country_code", "topic_tags",
                "crawl_priority", "allowed_path_patterns", "excluded_path_patterns", "sitemap_url", "max_depth",
                "max_pages", "last_run", "last_status", "next_run"
              ],
              "properties": {
                "id": {"type": "integer"},
                "name": {"type": ["string", "null"]},
                "url": {"type": "string"},
                "source": {"type": ["string", "null"]},
                "enabled": {"type": "boolean"},
                "frequency_hours": {"type": "integer"},
                "country_code": {"type": ["string", "null"]},
                "topic_tags": {"type": "array", "items": {"type": "string"}},
                "crawl_priority": {"type": "integer"},
                "allowed_path_patterns": {"type": "array", "items": {"type": "string"}},
                "excluded_path_patterns": {"type": "array", "items": {"type": "string"}},
                "sitemap_url": {"type": ["string", "null"]},
                "max_depth": {"type": ["integer", "null"]},
                "max_pages": {"type": ["integer", "null"]},
                "last_run": {"type": ["string", "null"], "format": "date-time"},
                "last_status": {"type": ["string", "null"]},
                "next_run": {"type": ["string", "null"], "format": "date-time", "description": "null: due at once."}
              }
            },
            "OriginList": {
              "type": "object",
              "required": ["origins", "total"],
              "properties": {
                "origins": {"type": "array", "items": {"$ref": "#/components/schemas/Origin"}},
                "total": {"type": "integer"}
              }
            },
            "OriginStatus": {
              "type": "object",
              "required": ["id", "enabled", "last_run", "last_status", "next_run", "due"],
              "properties": {
                "id": {"type": "integer"},
                "enabled": {"type": "boolean"},
                "last_run": {"type": ["string", "null"], "format": "date-time"},
                "last_status": {"type": ["string", "null"]},
                "next_run": {"type": ["string", "null"], "format": "date-time"},
                "due": {"type": "boolean", "description": "The scheduler would run it now."}
              }
            },
            "DeletedOrigin": {
              "type": "object",
              "required": ["id", "deleted", "documents_removed"],
              "properties": {
                "id": {"type": "integer"}, "deleted": {"type": "boolean"},
                "documents_removed": {"type": "integer", "description": "With delete_documents=true; else 0."}
              }
            },
            "CrawlAccepted": {
              "type": "object",
              "required": ["job_id", "origin_id", "status"],
              "properties": {
                "job_id": {"type": "string"}, "origin_id": {"type": "integer"}, "status": {"type": "string", "const": "queued"}
              }
            },
            "CrawlJob": {
              "type": "object",
              "required": [
                "job_id", "origin_id", "trigger", "status", "error", "created_at", "started_at", "finished_at",
                "heartbeat_at", "pages_attempted", "pages_succeeded", "pages_not_modified", "pages_failed",
                "pages_robots_disallowed", "documents_added", "documents_updated", "documents_unchanged",
                "documents_removed", "chunks_embedded", "pages_irrelevant", "relevance_ratio", "errors",
                "error_breakdown", "top_errors"
              ],
              "properties": {
                "job_id": {"type": "string"},
                "origin_id": {"type": ["integer", "null"], "description": "null once the origin is deleted."},
                "trigger": {"type": "string", "enum": ["scheduler", "api", "cli"]},
                "status": {"type": "string", "enum": ["queued", "running", "completed", "failed", "cancelled"]},
                "error": {"type": ["string", "null"]},
                "created_at": {"type": "string", "format": "date-time"},
                "started_at": {"type": ["string", "null"], "format": "date-time"},
                "finished_at": {"type": ["string", "null"], "format": "date-time"},
                "heartbeat_at": {"type": ["string", "null"], "format": "date-time"},
                "pages_attempted": {"type": "integer"},
                "pages_succeeded": {"type": "integer"},
                "pages_not_modified": {"type": "integer"},
                "pages_failed": {"type": "integer"},
                "pages_robots_disallowed": {"type": "integer"},
                "documents_added": {"type": "integer"},
                "documents_updated": {"type": "integer"},
                "documents_unchanged": {"type": "integer"},
                "documents_removed": {"type": "integer"},
                "chunks_embedded": {"type": "integer"},
                "pages_irrelevant": {"type": "integer", "description": "Set aside by the topic filter."},
                "relevance_ratio": {
                  "type": ["number", "null"],
                  "description": "Pages kept over pages fetched whole; null when none was fetched whole."
                },
                "errors": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["code", "url", "message"],
                    "properties": {"code": {"type": "string"}, "url": {"type": "string"}, "message": {"type": "string"}}
                  }
                },
                "error_breakdown": {"type": "object", "additionalProperties": {"type": "integer"}},
                "top_errors": {
                  "type": "array",
                  "items": {
                    "type": "object", "required": ["code", "message", "count"],
                    "properties": {
                      "code": {"type": "string"}, "message": {"type": "string"}, "count": {"type": "integer"}
                    }
                  }
                }
              }
            },
            "CrawlJobList": {
              "type": "object",
              "required": ["jobs", "limit", "offset"],
              "properties": {
                "jobs": {"type": "array", "items": {"$ref": "#/components/schemas/CrawlJob"}},
                "limit": {"type": "integer"},
                "offset": {"type": "integer"}
              }
            },
            "DashboardOverview": {
              "type": "object",
              "required": [
                "origins", "documents", "chunks", "jobs_last_24h", "pages_attempted_last_24h", "last_job"
              ],
              "properties": {
                "origins": {
                  "type": "object", "required": ["total", "enabled", "due"],
                  "properties": {
                    "total": {"type": "integer"}, "enabled": {"type": "integer"},
                    "due": {"type": "integer", "description": "Enabled and due now."}
                  }
                },
                "documents": {"type": "integer"},
                "chunks": {"type": "integer"},
                "jobs_last_24h": {
                  "type": "object", "additionalProperties": {"type": "integer"},
                  "description": "Jobs created in the last 24 hours per status; every status present."
                },
                "pages_attempted_last_24h": {"type": "integer"},
                "relevance_ratio_last_24h": {"type": ["number", "null"]},
                "last_job": {"oneOf": [{"$ref": "#/components/schemas/CrawlJob"}, {"type": "null"}]}
              }
            },
            "DashboardTimeseries": {
              "type": "object",
              "required": ["days"],
              "properties": {
                "days": {
                  "type": "array",
                  "items": {
                    "type": "object",
                    "required": [
                      "date", "jobs", "completed", "failed", "pages_attempted", "pages_succeeded", "documents_added",
                      "documents_updated", "chunks_embedded"
                    ],
                    "properties": {
                      "date": {"type": "string", "format": "date"},
                      "jobs": {"type": "integer"}, "completed": {"type": "integer"}, "failed": {"type": "integer"},
                      "pages_attempted": {"type": "integer"}, "pages_succeeded": {"type": "integer"},
                      "documents_added": {"type": "integer"}, "documents_updated": {"type": "integer"},
                      "chunks_embedded": {"type": "integer"}
                    }
                  }
                }
              }
            },
            "DashboardOrigin": {
              "allOf": [
                {"$ref": "#/components/schemas/Origin"},
                {
                  "type": "object",
                  "required": [
                    "documents", "jobs_considered", "last_job", "success_rate", "relevance_ratio", "pages_attempted"
                  ],
                  "properties": {
                    "documents": {"type": "integer", "description": "Documents its crawled pages became."},
                    "jobs_considered": {"type": "integer", "description": "Its most recent jobs (20 at most)."},
                    "last_job": {"oneOf": [{"$ref": "#/components/schemas/CrawlJob"}, {"type": "null"}]},
                    "success_rate": {
                      "type": ["number", "null"], "description": "Completed over ended jobs; null when none ended."
                    },
                    "relevance_ratio": {"type": ["number", "null"]},
                    "pages_attempted": {"type": "integer"},
                    "recent_jobs": {
                      "type": "array", "items": {"$ref": "#/components/schemas/CrawlJob"},
                      "description": "On /dashboard/origins/{id} only."
                    }
                  }
                }
              ]
            },
            "DashboardOriginList": {
              "type": "object",
              "required": ["origins", "total", "limit", "offset"],
              "properties": {
                "origins": {"type": "array", "items": {"$ref": "#/components/schemas/DashboardOrigin"}},
                "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"}
              }
            },
            "DashboardOriginConfig": {
              "type": "object",
              "required": ["origin_id", "config"],
              "properties": {
                "origin_id": {"type": "integer"},
                "config": {
                  "type": "object",
                  "additionalProperties": {
                    "type": "object", "required": ["value", "source"],
                    "properties": {
                      "value": {"type": ["string", "number", "boolean", "array", "null"]},
                      "source": {"type": "string", "enum": ["origin", "settings"]}
                    }
                  }
                }
              }
            },
            "DashboardDocument": {
              "allOf": [
                {"$ref": "#/components/schemas/Document"},
                {
                  "type": "object",
                  "required": ["origin_id"],
                  "properties": {
                    "origin_id": {"type": ["integer", "null"], "description": "The origin it was crawled for."},
                    "chunks": {"type": "integer", "description": "On /dashboard/documents/{id} only."},
                    "crawl": {
                      "description": "What the crawler kept of its page (detail only; null for other documents).",
                      "oneOf": [
                        {"type": "null"},
                        {
                          "type": "object",
                          "required": ["url", "etag", "last_modified", "last_status", "fetched_at", "missing_runs"],
                          "properties": {
                            "url": {"type": "string"}, "etag": {"type": ["string", "null"]},
                            "last_modified": {"type": ["string", "null"]},
                            "last_status": {"type": ["integer", "null"]},
                            "fetched_at": {"type": ["string", "null"], "format": "date-time"},
                            "missing_runs": {"type": "integer"}
                          }
                        }
                      ]
                    }
                  }
                }
              ]
            },
            "DashboardDocumentList": {
              "type": "object",
              "required": ["documents", "total", "limit", "offset"],
              "properties": {
                "documents": {"type": "array", "items": {"$ref": "#/components/schemas/DashboardDocument"}},
                "total": {"type": "integer"}, "limit": {"type": "integer"}, "offset": {"type": "integer"}
              }
            },
            "DashboardSettings": {
              "type": "object",
              "required": ["settings", "sources"],
              "properties": {
                "settings": {
                  "type": "object",
                  "additionalProperties": {"type": ["string", "number", "boolean", "array", "null"]},
                  "description": "Each setting by the lower-case name of its variable."
                },
                "sources": {
                  "type": "object",
                  "additionalProperties": {"type": "string", "enum": ["store", "environment", "default"]}
                }
              }
            },
            "DashboardSettingsRequest": {
              "type": "object",
              "description": "Any of the keys of DashboardSettings.settings; null clears the stored value.",
              "additionalProperties": {"type": ["string", "number", "boolean", "array", "null"]}
            },
            "DeleteResponse": {
              "type": "object",
              "required": ["document_id", "deleted", "chunks_removed"],
              "properties": {
                "document_id": {"type": "string"},
                "deleted": {"type": "boolean"},
                "chunks_removed": {"type": "integer"}
              }
            },
            "AdminHealth": {
              "type": "object",
              "required": ["status", "database", "index", "embedding", "cache", "qdrant", "llm"],
              "properties": {
                "status": {"type": "string", "enum": ["ok", "degraded"]},
                "database": {
                  "type": "object",
                  "required": ["status", "documents", "chunks"],
                  "properties": {
                    "status": {"type": "string"},
                    "documents": {"type": "integer"},
                    "chunks": {"type": "integer"}
                  }
                },
                "index": {
                  "type": "object",
                  "required": ["count", "dimension"],
                  "properties": {"count": {"type": "integer"}, "dimension": {"type": "integer"}}
                },
                "embedding": {
                  "type": "object",
                  "required": ["fingerprint", "dimension"],
                  "properties": {"fingerprint": {"type": "string"}, "dimension": {"type": "integer"}}
                },
                "cache": {
                  "type": ["object", "null"],
                  "required": ["entries", "hits", "misses", "hit_rate"],
                  "properties": {
                    "entries": {"type": "integer"},
                    "hits": {"type": "integer"},
                    "misses": {"type": "integer"},
                    "hit_rate": {"type": ["number", "null"]}
                  }
                },
                "qdrant": {
                  "type": "object",
                  "required": [
                    "configured", "backend", "collection", "pending", "last_success", "last_error", "last_error_at",
                    "reachable", "points", "probe_error", "probe_ms", "checked_at"
                  ],
                  "description": "The Qdrant mirror: outbox rows to push, the last push outcome, a reachability probe",
                  "properties": {
                    "configured": {"type": "boolean"},
                    "backend": {
                      "type": "string",
                      "enum": ["local", "qdrant"],
                      "description": "Where dense search runs (RETRIEVAL_BACKEND)"
                    },
                    "collection": {"type": ["string", "null"]},
                    "pending": {"type": ["integer", "null"]},
                    "last_success": {"type": ["string", "null"], "format": "date-time"},
                    "last_error": {"type": ["string", "null"]},
                    "last_error_at": {"type": ["string", "null"], "format": "date-time"},
                    "reachable": {
                      "type": ["boolean", "null"],
                      "description": "Whether the peer answered a probe (at most 15 s old); null when not configured"
                    },
                    "points": {"type": ["integer", "null"], "description": "Points in the collection, from the probe"},
                    "probe_error": {
                      "type": ["string", "null"],
                      "description": "Stable code and message of the failed probe"
                    },
                    "probe_ms": {"type": ["number", "null"], "description": "How long the probe took"},
                    "checked_at": {"type": ["string", "null"], "format": "date-time"}
                  }
                },
                "llm": {
                  "type": "object",
                  "required": [
                    "configured", "base_url_host", "model", "reachable", "probe_error", "probe_ms", "checked_at"
                  ],
                  "properties": {
                    "configured": {"type": "boolean"},
                    "base_url_host": {"type": ["string", "null"]},
                    "model": {"type": ["string", "null"]},
                    "reachable": {
                      "type": ["boolean", "null"],
                      "description": "Whether the peer answered a probe (at most 15 s old); null when not configured"
                    },
                    "probe_error": {
                      "type": ["string", "null"],
                      "description": "Stable code and message of the failed probe"
                    },
                    "probe_ms": {"type": ["number", "null"], "description": "How long the probe took"},
                    "checked_at": {"type": ["string", "null"], "format": "date-time"}
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
        }
        """#
}
