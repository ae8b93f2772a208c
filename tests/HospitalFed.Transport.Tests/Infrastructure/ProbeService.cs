using HospitalFed.Protocol.V1;

namespace HospitalFed.Transport.Tests.Infrastructure;

/// <summary>
/// Test-only handlers that misbehave on purpose or report what they saw: a throwing handler,
/// metadata echo, and handlers that record when their cancellation token fires.
/// </summary>
internal sealed class ProbeService : IRpcService
{
    public const string ServiceName = "hospitalfed.test.Probe";

    public static readonly Method<EchoRequest, EchoReply> Throw = new(MethodType.Unary, ServiceName, "Throw", EchoRequest.Parser, EchoReply.Parser);
    public static readonly Method<EchoRequest, EchoReply> Metadata = new(MethodType.Unary, ServiceName, "Metadata", EchoRequest.Parser, EchoReply.Parser);
    public static readonly Method<EchoRequest, EchoReply> Hang = new(MethodType.Unary, ServiceName, "Hang", EchoRequest.Parser, EchoReply.Parser);
    public static readonly Method<CountRequest, EchoReply> Stream = new(MethodType.ServerStreaming, ServiceName, "Stream", CountRequest.Parser, EchoReply.Parser);
    public static readonly Method<EchoRequest, SumReply> Collect = new(MethodType.ClientStreaming, ServiceName, "Collect", EchoRequest.Parser, SumReply.Parser);

    private TaskCompletionSource<string> _cancelled = NewSignal();

    /// <summary>Completes with the method name when a handler's token fires.</summary>
    public Task<string> Cancelled => _cancelled.Task;

    public void Reset() => _cancelled = NewSignal();

    public void Bind(RpcServiceBinder binder)
    {
        binder.AddUnary(Throw, (_, _) => throw new InvalidOperationException("secret-internal-detail"));
        binder.AddUnary(Metadata, (request, context) =>
        {
            foreach (var entry in context.RequestHeaders)
            {
                if (entry.IsBinary)
                {
                    context.ResponseTrailers.Add(entry.Key, entry.ValueBytes);
                }
                else if (entry.Key.StartsWith("x-", StringComparison.Ordinal))
                {
                    context.ResponseTrailers.Add(entry.Key, entry.Value);
                }
            }

            var seen = context.RequestHeaders
                .Where(e => e.IsBinary || e.Key.StartsWith("x-", StringComparison.Ordinal))
                .Select(e => e.Key + "=" + (e.IsBinary ? Convert.ToHexString(e.ValueBytes) : e.Value));
            return Task.FromResult(new EchoReply { Message = string.Join(";", seen) });
        });
        binder.AddUnary(Hang, async (request, context) =>
        {
            await WaitForCancellationAsync(context, "Hang");
            return new EchoReply();
        });
        binder.AddServerStreaming(Stream, async (request, responses, context) =>
        {
            for (uint i = 0; !context.CancellationToken.IsCancellationRequested; i++)
            {
                try
                {
                    await responses.WriteAsync(new EchoReply { Sequence = i }, context.CancellationToken);
                    await Task.Delay(10, context.CancellationToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }

            _cancelled.TrySetResult("Stream");
        });
        binder.AddClientStreaming(Collect, async (requests, context) =>
        {
            var reply = new SumReply();
            try
            {
                await foreach (var request in requests)
                {
                    reply.Messages++;
                }
            }
            catch (OperationCanceledException)
            {
                _cancelled.TrySetResult("Collect");
                throw;
            }

            return reply;
        });
    }

    private async Task WaitForCancellationAsync(ServerCallContext context, string name)
    {
        try
        {
            await Task.Delay(Timeout.Infinite, context.CancellationToken);
        }
        catch (OperationCanceledException)
        {
            _cancelled.TrySetResult(name);
            throw;
        }
    }

    private static TaskCompletionSource<string> NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
