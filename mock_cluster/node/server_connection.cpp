#include "mock_cluster/node/server_connection.hpp"

#include "mock_cluster/cluster.hpp"
#include "driver/protocol/scylla_supported.hpp"
#include "mock_cluster/cql/binding.hpp"
#include "mock_cluster/node/coordinator_error.hpp"
#include "mock_cluster/node/lwt_executor.hpp"
#include "mock_cluster/node/replica_op.hpp"
#include "mock_cluster/node/schema_change_executor.hpp"
#include "mock_cluster/system_tables/select.hpp"

namespace routelab::cluster {

namespace wire = routelab::cql;

ServerConnection::ServerConnection(CqlServer& server, std::uint64_t id, net::StreamPtr stream, std::uint16_t shard)
    : server_(server), id_(id), stream_(std::move(stream)), shard_(shard) {
    stream_->on_data([this](std::span<const std::uint8_t> bytes) { on_data(bytes); });
    stream_->on_close([this](net::CloseReason) {
        closing_ = true;
        server_.forget(id_);
    });
}

void ServerConnection::set_reading(bool on) {
    if (closing_) return;
    if (on) stream_->on_data([this](std::span<const std::uint8_t> bytes) { on_data(bytes); });
    else stream_->on_data(nullptr);
}

void ServerConnection::close() {
    if (closing_) return;
    closing_ = true;
    stream_->close();
    server_.forget(id_);
}

void ServerConnection::on_data(std::span<const std::uint8_t> bytes) {
    if (closing_) return;
    assembler_.feed(bytes);
    wire::Frame frame;
    for (;;) {
        const auto status = assembler_.next(frame);
        if (status == wire::FrameAssembler::Status::need_more) {
            // Every whole frame is handled: memory a large one took goes back (live mode
            // bounds what all connections buffer; they must not keep it).
            assembler_.release_memory();
            if (decompressed_.capacity() > 256 * 1024) std::vector<std::uint8_t>().swap(decompressed_);
            return;
        }
        if (status == wire::FrameAssembler::Status::error) {
            return fail_protocol(0, "Invalid frame " + assembler_.error().to_string());
        }
        on_frame(frame);
        if (closing_) return;
    }
}

void ServerConnection::on_frame(const wire::Frame& frame) {
    const int version = frame.header.protocol_version();
    if (version_ == 0) {
        if (version != 3 && version != 4) {
            // Refuse with the wording and version byte that make drivers settle on v4.
            version_ = 4;
            return fail_protocol(frame.header.stream, "Invalid or unsupported protocol version (" + std::to_string(version) +
                                                          "); the lowest supported version is 3 and the greatest is 4");
        }
        version_ = static_cast<std::uint8_t>(version);
    } else if (version != version_) {
        return fail_protocol(frame.header.stream, "Invalid message version " + std::to_string(version) +
                                                      ": the connection uses version " + std::to_string(version_));
    }
    const wire::Frame* body = &frame;
    wire::Frame plain;
    if (frame.header.flags & wire::frame_flags::compression) {
        if (compression_ == wire::Compression::none)
            return fail_protocol(frame.header.stream, "Compressed frame received but no compression was negotiated");
        auto decompressed = wire::decompress_frame(compression_, frame, decompressed_);
        if (!decompressed) return fail_protocol(frame.header.stream, "Invalid compressed frame " + decompressed.error().to_string());
        plain = *decompressed;
        body = &plain;
    }
    wire::FrameExtras extras;
    const bool payload = (body->header.flags & wire::frame_flags::custom_payload) != 0;
    auto request = wire::decode_request(*body, payload ? &extras : nullptr);
    if (payload && request && extras.custom_payload) {
        // A session key for an affinity proxy: count where the session's requests land.
        if (auto key = extras.custom_payload->find(std::string(session_key_entry)); key != extras.custom_payload->end() && key->second)
            server_.cluster_.sessions().note(std::string_view(reinterpret_cast<const char*>(key->second->data()), key->second->size()),
                                             server_.node_);
    }
    if (!request) return fail_protocol(frame.header.stream, "Invalid " + std::string(wire::opcode_name(frame.header.opcode)) +
                                                                " message " + request.error().to_string());
    handle(frame.header.stream, *request);
}

void ServerConnection::handle(std::int16_t stream, wire::Request& request) {
    if (!started_ && !std::holds_alternative<wire::Startup>(request) && !std::holds_alternative<wire::Options>(request))
        return fail_protocol(stream, "Unexpected message " + std::string(wire::opcode_name(wire::opcode_of(request))) +
                                         ", expecting STARTUP or OPTIONS");
    std::visit(
        [&](auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, wire::Options>) {
                respond(stream, supported());
            } else if constexpr (std::is_same_v<T, wire::Startup>) {
                auto compression = m.options.find("COMPRESSION");
                if (compression != m.options.end() && !compression->second.empty()) {
                    const auto chosen = wire::compression_from_name(compression->second);
                    if (!chosen) return fail_protocol(stream, "Unknown compression algorithm: " + compression->second);
                    compression_ = *chosen;
                }
                // ScyllaDB's LWT mark, when the client echoes the extension back.
                lwt_mark_ = m.options.count(routelab::cql::scylla_keys::lwt_add_metadata_mark) != 0;
                started_ = true;
                respond(stream, wire::Ready{});
            } else if constexpr (std::is_same_v<T, wire::Register>) {
                handle_register(stream, m);
            } else if constexpr (std::is_same_v<T, wire::Query>) {
                handle_query(stream, m);
            } else if constexpr (std::is_same_v<T, wire::Prepare>) {
                handle_prepare(stream, m);
            } else if constexpr (std::is_same_v<T, wire::Execute>) {
                handle_execute(stream, m);
            } else if constexpr (std::is_same_v<T, wire::Batch>) {
                handle_batch(stream, m);
            } else {
                fail_protocol(stream, std::string("Unexpected message ") + wire::opcode_name(wire::opcode_of(wire::Request{m})));
            }
        },
        request);
}

wire::Supported ServerConnection::supported() const {
    const auto& node = server_.cluster_.topology().node(server_.node_);
    wire::Supported s;
    s.options["CQL_VERSION"] = {"3.4.5"};
    s.options["COMPRESSION"] = {"lz4"};
    s.options["PROTOCOL_VERSIONS"] = {"3/v3", "4/v4"};
    s.options["SCYLLA_SHARD"] = {std::to_string(shard_)};
    s.options["SCYLLA_NR_SHARDS"] = {std::to_string(node.shards)};
    s.options["SCYLLA_PARTITIONER"] = {"org.apache.cassandra.dht.Murmur3Partitioner"};
    s.options["SCYLLA_SHARDING_ALGORITHM"] = {"biased-token-round-robin"};
    s.options["SCYLLA_SHARDING_IGNORE_MSB"] = {"12"};
    s.options[routelab::cql::scylla_keys::lwt_add_metadata_mark] = {"LWT_OPTIMIZATION_META_BIT_MASK=2147483648"};
    if (const auto port = server_.cluster_.topology().config().shard_aware_port; port != 0)
        s.options["SCYLLA_SHARD_AWARE_PORT"] = {std::to_string(port)};
    return s;
}

void ServerConnection::handle_register(std::int16_t stream, const wire::Register& request) {
    std::uint8_t types = 0;
    for (const auto& name : request.event_types) {
        auto type = events::event_type_from_name(name);
        // ScyllaDB's answer; the connection stays open.
        if (!type) return send_error(stream, wire::error_codes::protocol_error, "Invalid value '" + name + "' for Event.Type");
        types = static_cast<std::uint8_t>(types | static_cast<std::uint8_t>(*type));
    }
    registered_events_ = static_cast<std::uint8_t>(registered_events_ | types);
    respond(stream, wire::Ready{});
}

void ServerConnection::push_event(const events::Event& event) {
    if (closing_ || !started_ || server_.blackholed_) return;
    auto& out = server_.scratch_;
    out.clear();
    wire::encode_response(out, wire::event_stream_id, event, version_ == 0 ? 4 : version_);
    stream_->write(out);
}

void ServerConnection::handle_query(std::int16_t stream, const wire::Query& query) {
    auto parsed = cql::parse_statement(query.query);
    if (!parsed.statement) return send_error(stream, wire::error_codes::syntax_error, "line 1:0 " + parsed.error);
    auto compiled = cql::compile(*parsed.statement, server_.cluster_.schema(), keyspace_);
    if (!compiled.statement) return send_error(stream, compiled.error.code, compiled.error.message);
    if (compiled.statement->kind == cql::CompiledStatement::Kind::use) {
        keyspace_ = compiled.statement->use_keyspace;
        return respond(stream, wire::Result{wire::SetKeyspaceResult{keyspace_}});
    }
    wire::QueryParameters parameters = query.parameters;
    run(stream, std::make_shared<const cql::CompiledStatement>(std::move(*compiled.statement)), parameters);
}

void ServerConnection::handle_prepare(std::int16_t stream, const wire::Prepare& prepare) {
    auto parsed = cql::parse_statement(prepare.query);
    if (!parsed.statement) return send_error(stream, wire::error_codes::syntax_error, "line 1:0 " + parsed.error);
    auto compiled = cql::compile(*parsed.statement, server_.cluster_.schema(), keyspace_);
    if (!compiled.statement) return send_error(stream, compiled.error.code, compiled.error.message);
    auto statement = std::make_shared<const cql::CompiledStatement>(std::move(*compiled.statement));
    wire::PreparedResult result;
    result.metadata.columns = statement->bind_specs;
    result.metadata.pk_indexes = statement->pk_indexes;
    result.metadata.lwt = lwt_mark_ && statement->conditional();
    result.result_metadata = statement->result_metadata;
    if (statement->kind != cql::CompiledStatement::Kind::select && statement->kind != cql::CompiledStatement::Kind::system_select) {
        result.result_metadata = wire::RowsMetadata{};
        result.result_metadata.no_metadata = true;
    }
    const std::string& ks = parsed.statement->keyspace.empty() ? keyspace_ : parsed.statement->keyspace;
    result.id = server_.remember_prepared(ks, prepare.query, std::move(statement));
    respond(stream, wire::Result{std::move(result)});
}

void ServerConnection::handle_execute(std::int16_t stream, wire::Execute& execute) {
    const CompiledPtr* statement = server_.prepared(execute.id);
    if (statement != nullptr && (*statement)->stale()) {
        // Its table was dropped: forget it, as Cassandra does, so the driver re-prepares
        // against the current schema.
        server_.forget_prepared(execute.id);
        statement = nullptr;
    }
    if (statement == nullptr)
        return respond(stream, wire::Error{wire::error_codes::unprepared, "Prepared query with ID not found",
                                           wire::error_detail::Unprepared{execute.id}});
    run(stream, *statement, execute.parameters);
}

void ServerConnection::run(std::int16_t stream, CompiledPtr statement, wire::QueryParameters& parameters) {
    Cluster& cluster = server_.cluster_;
    if (statement->kind == cql::CompiledStatement::Kind::use) {
        keyspace_ = statement->use_keyspace;
        return respond(stream, wire::Result{wire::SetKeyspaceResult{keyspace_}});
    }
    if (statement->kind == cql::CompiledStatement::Kind::system_select ||
        statement->kind == cql::CompiledStatement::Kind::schema_change)
        return run_local(stream, std::move(statement), parameters);
    if (statement->stale()) return send_error(stream, wire::error_codes::invalid, "unconfigured table " + statement->table->name);
    // Everything the request keeps until it is answered, in one allocation: the bound
    // values live inside it, and the replica operation points into them.
    struct Context {
        cql::BoundOperation bound;
        ReplicaOp op;
        CompiledPtr statement;
        bool skip_metadata = false;
    };
    auto context = std::make_shared<Context>();
    cql::BoundOperation& bound = context->bound;
    if (auto error = cql::bind(*statement, parameters, bound)) return send_error(stream, error->code, error->message);
    const auto consistency = static_cast<Consistency>(parameters.consistency);
    const std::int64_t timestamp_us =
        parameters.default_timestamp_us ? *parameters.default_timestamp_us : cluster.scheduler().now().ns() / 1000;
    const bool skip_metadata = parameters.skip_metadata;
    const bool is_select = statement->kind == cql::CompiledStatement::Kind::select;
    const bool serial_read = is_select && is_serial(consistency);
    CqlServer* server = &server_;
    const std::uint64_t connection_id = id_;
    // Traced and admitted once checked: the coordinator's own work (parsing, routing:
    // coordinator_time) queues on this connection's shard first; the replicas' work
    // (service_time) then queues on the shards owning the token.
    auto admit = [&] {
        cluster.trace().record(cluster.scheduler().now(), sim::TraceKind::server_request, server_.node_, static_cast<std::uint64_t>(bound.token));
        return cluster.coordinator_shard(server_.node_, shard_).admit_coordinator(cluster.scheduler().now());
    };
    if (statement->conditional() || serial_read) {
        SerialRequest request;
        request.coordinator = server_.node_;
        request.statement = std::move(statement);
        request.bound = std::shared_ptr<cql::BoundOperation>(context, &bound);   // shares the context's life
        request.serial = serial_read ? consistency
                                     : static_cast<Consistency>(parameters.serial_consistency.value_or(routelab::cql::Consistency::serial));
        request.commit = consistency;
        request.timestamp_us = timestamp_us;
        request.skip_metadata = skip_metadata;
        if (auto error = check_serial_levels(request)) return respond(stream, *error);
        const sim::Time coordinated_at = admit();
        auto shared = std::make_shared<SerialRequest>(std::move(request));
        cluster.scheduler().at(coordinated_at, [server, connection_id, stream, shared] {
            run_serial(server->cluster_, std::move(*shared), [server, connection_id, stream](const routelab::cql::Response& response) {
                if (ServerConnection* connection = server->find(connection_id)) connection->respond(stream, response);
            });
        });
        return;
    }

    context->op = replica_op(*statement, bound, is_select ? OpKind::read : OpKind::write, consistency, timestamp_us);
    context->statement = std::move(statement);
    context->skip_metadata = skip_metadata;
    const sim::Time coordinated_at = admit();
    const std::uint16_t node = server_.node_;
    cluster.scheduler().at(coordinated_at, [server, connection_id, node, stream, context]() {
        Cluster& c = server->cluster_;
        c.coordinator().execute(node, context->op, [server, connection_id, stream, context](const CoordinatorResult& result) {
            ServerConnection* connection = server->find(connection_id);
            if (connection == nullptr) return;  // the client went away; nobody to answer
            if (result.status != CoordinatorResult::Status::ok) return connection->respond(stream, coordinator_error(result));
            if (context->op.kind == OpKind::write) return connection->respond(stream, wire::Result{wire::VoidResult{}});
            connection->respond(stream, wire::Result{cql::rows_result(*context->statement, context->bound, result.rows,
                                                                       context->skip_metadata)});
        });
    });
}

void ServerConnection::handle_batch(std::int16_t stream, const wire::Batch& batch) {
    Cluster& cluster = server_.cluster_;
    if (batch.type == wire::BatchType::counter)
        return send_error(stream, wire::error_codes::invalid, "COUNTER batches are not supported by the mock cluster");
    if (batch.statements.empty()) return respond(stream, wire::Result{wire::VoidResult{}});
    struct Entry {
        CompiledPtr statement;
        cql::BoundOperation bound;
    };
    struct Context {
        std::vector<Entry> entries;
        int pending = 0;
        std::optional<CoordinatorResult> failure;   // the first one
        std::int64_t timestamp_us = 0;              // one for every statement
        Consistency consistency = Consistency::one;
        bool logged = true;
    };
    auto context = std::make_shared<Context>();
    context->logged = batch.type == wire::BatchType::logged;
    context->entries.resize(batch.statements.size());
    for (std::size_t i = 0; i < batch.statements.size(); ++i) {
        const auto& entry = batch.statements[i];
        CompiledPtr statement;
        if (const auto* text = std::get_if<std::string>(&entry.query_or_id)) {
            auto parsed = cql::parse_statement(*text);
            if (!parsed.statement) return send_error(stream, wire::error_codes::syntax_error, "line 1:0 " + parsed.error);
            auto compiled = cql::compile(*parsed.statement, cluster.schema(), keyspace_);
            if (!compiled.statement) return send_error(stream, compiled.error.code, compiled.error.message);
            statement = std::make_shared<const cql::CompiledStatement>(std::move(*compiled.statement));
        } else {
            const auto& id = std::get<wire::Bytes>(entry.query_or_id);
            const CompiledPtr* found = server_.prepared(id);
            if (found == nullptr || (*found)->stale())
                return respond(stream, wire::Error{wire::error_codes::unprepared, "Prepared query with ID not found",
                                                   wire::error_detail::Unprepared{id}});
            statement = *found;
        }
        if (statement->kind != cql::CompiledStatement::Kind::write && statement->kind != cql::CompiledStatement::Kind::remove)
            return send_error(stream, wire::error_codes::invalid, "Only INSERT, UPDATE and DELETE statements are allowed in a BATCH");
        if (statement->stale()) return send_error(stream, wire::error_codes::invalid, "unconfigured table " + statement->table->name);
        if (statement->conditional())
            return send_error(stream, wire::error_codes::invalid, "conditional statements (IF ...) in a BATCH are not supported by the mock cluster");
        wire::QueryParameters parameters;
        parameters.consistency = batch.consistency;
        parameters.values = entry.values;
        parameters.value_names = entry.value_names;
        if (auto error = cql::bind(*statement, parameters, context->entries[i].bound))
            return send_error(stream, error->code, error->message);
        context->entries[i].statement = std::move(statement);
    }
    context->timestamp_us = batch.default_timestamp_us ? *batch.default_timestamp_us : cluster.scheduler().now().ns() / 1000;
    context->consistency = static_cast<Consistency>(batch.consistency);
    const sim::Time coordinated_at = cluster.coordinator_shard(server_.node_, shard_).admit_coordinator(cluster.scheduler().now());
    CqlServer* server = &server_;
    const std::uint64_t connection_id = id_;
    const std::uint16_t node = server_.node_;
    context->pending = static_cast<int>(context->entries.size());
    cluster.scheduler().at(coordinated_at, [server, connection_id, node, stream, context] {
        for (auto& entry : context->entries) {
            ReplicaOp op = replica_op(*entry.statement, entry.bound, OpKind::write, context->consistency, context->timestamp_us);
            op.write_type = context->logged ? WriteType::batch : WriteType::unlogged_batch;
            server->cluster_.coordinator().execute(node, op, [server, connection_id, stream, context](const CoordinatorResult& result) {
                if (result.status != CoordinatorResult::Status::ok && !context->failure) context->failure = result;
                if (--context->pending != 0) return;
                ServerConnection* connection = server->find(connection_id);
                if (connection == nullptr) return;
                if (context->failure) return connection->respond(stream, coordinator_error(*context->failure));
                connection->respond(stream, wire::Result{wire::VoidResult{}});
            });
        }
    });
}

void ServerConnection::run_local(std::int16_t stream, CompiledPtr statement, const wire::QueryParameters& parameters) {
    Cluster& cluster = server_.cluster_;
    // Answered from the node's own state: coordinator work only, no replica step.
    const sim::Time done_at = cluster.coordinator_shard(server_.node_, shard_).admit_coordinator(cluster.scheduler().now());
    struct Context {
        CompiledPtr statement;
        wire::QueryParameters parameters;
    };
    auto context = std::make_shared<Context>(Context{std::move(statement), parameters});
    CqlServer* server = &server_;
    const std::uint64_t connection_id = id_;
    cluster.scheduler().at(done_at, [server, connection_id, stream, context]() {
        Cluster& c = server->cluster_;
        const cql::CompiledStatement& s = *context->statement;
        if (s.kind == cql::CompiledStatement::Kind::schema_change) {
            // Applied even if the client went away meanwhile, as a real node would.
            wire::Response response = apply_schema_change(c, *s.schema_change);
            if (ServerConnection* connection = server->find(connection_id)) connection->respond(stream, response);
            return;
        }
        ServerConnection* connection = server->find(connection_id);
        if (connection == nullptr) return;
        wire::RowsResult rows;
        if (auto error = system_tables::select(s, context->parameters, system_tables::SystemView{c, server->node_}, rows))
            return connection->send_error(stream, error->code, error->message);
        connection->respond(stream, wire::Result{std::move(rows)});
    });
}

void ServerConnection::respond(std::int16_t stream, const wire::Response& response) {
    if (closing_ || server_.blackholed_) return;   // a blackholed node answers nothing
    auto& out = server_.scratch_;
    out.clear();
    wire::encode_response(out, stream, response, version_ == 0 ? 4 : version_);
    // The reply to STARTUP goes out uncompressed (drivers switch after READY), then all.
    if (compress_responses_) wire::compress_frame(compression_, out, 0, compress_scratch_);
    if (compression_ != wire::Compression::none) compress_responses_ = true;
    stream_->write(out);
}

void ServerConnection::send_error(std::int16_t stream, std::int32_t code, std::string message) {
    respond(stream, wire::Error{code, std::move(message), {}});
}

void ServerConnection::fail_protocol(std::int16_t stream, const std::string& message) {
    send_error(stream, wire::error_codes::protocol_error, message);
    close();
}

}  // namespace routelab::cluster
