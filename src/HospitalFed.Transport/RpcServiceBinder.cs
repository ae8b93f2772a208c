using Google.Protobuf;
using HospitalFed.Transport.Internal;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace HospitalFed.Transport;

/// <summary>Collects the handlers of one or more services, one HTTP/2 endpoint per method.</summary>
public sealed class RpcServiceBinder
{
    private readonly RpcServerOptions _options;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Dictionary<string, RequestDelegate> _endpoints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _services = new(StringComparer.Ordinal);

    internal RpcServiceBinder(RpcServerOptions options, ILogger logger, TimeProvider time)
    {
        _options = options;
        _logger = logger;
        _time = time;
    }

    internal IReadOnlyDictionary<string, RequestDelegate> Endpoints => _endpoints;

    internal IReadOnlyCollection<string> Services => _services;

    /// <summary>Binds a unary method.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method; its type must be <see cref="MethodType.Unary"/>.</param>
    /// <param name="handler">The handler.</param>
    public void AddUnary<TRequest, TResponse>(Method<TRequest, TResponse> method, UnaryServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(method, MethodType.Unary, new UnaryServerCallHandler<TRequest, TResponse>(method, handler, _options, _logger, _time).HandleCallAsync);
    }

    /// <summary>Binds a server-streaming method.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method; its type must be <see cref="MethodType.ServerStreaming"/>.</param>
    /// <param name="handler">The handler.</param>
    public void AddServerStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ServerStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(method, MethodType.ServerStreaming, new ServerStreamingServerCallHandler<TRequest, TResponse>(method, handler, _options, _logger, _time).HandleCallAsync);
    }

    /// <summary>Binds a client-streaming method.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method; its type must be <see cref="MethodType.ClientStreaming"/>.</param>
    /// <param name="handler">The handler.</param>
    public void AddClientStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, ClientStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(method, MethodType.ClientStreaming, new ClientStreamingServerCallHandler<TRequest, TResponse>(method, handler, _options, _logger, _time).HandleCallAsync);
    }

    /// <summary>Binds a bidirectional streaming method.</summary>
    /// <typeparam name="TRequest">The request message.</typeparam>
    /// <typeparam name="TResponse">The response message.</typeparam>
    /// <param name="method">The method; its type must be <see cref="MethodType.DuplexStreaming"/>.</param>
    /// <param name="handler">The handler.</param>
    public void AddDuplexStreaming<TRequest, TResponse>(Method<TRequest, TResponse> method, DuplexStreamingServerMethod<TRequest, TResponse> handler)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(handler);
        Add(method, MethodType.DuplexStreaming, new DuplexStreamingServerCallHandler<TRequest, TResponse>(method, handler, _options, _logger, _time).HandleCallAsync);
    }

    private void Add<TRequest, TResponse>(Method<TRequest, TResponse> method, MethodType expected, RequestDelegate endpoint)
        where TRequest : class, IMessage<TRequest>
        where TResponse : class, IMessage<TResponse>
    {
        ArgumentNullException.ThrowIfNull(method);
        if (method.Type != expected)
        {
            throw new ArgumentException($"{method.FullName} is a {method.Type} method; it cannot be bound as {expected}.", nameof(method));
        }

        if (!_endpoints.TryAdd(method.FullName, endpoint))
        {
            throw new InvalidOperationException($"{method.FullName} is bound twice.");
        }

        _services.Add(method.ServiceName);
    }
}
