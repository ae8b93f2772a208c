using System.Diagnostics;
using Grpc.Core;
using HospitalFed.Transport.Telemetry;

namespace HospitalFed.Transport.Hosting;

/// <summary>Counts and times every call served (<see cref="HospitalFedTelemetry.GrpcCalls"/>, <see cref="HospitalFedTelemetry.GrpcDuration"/>) under an <c>hfed.grpc</c> span.</summary>
internal sealed class TelemetryInterceptor(TimeProvider time) : ServerInterceptor
{
    protected override async Task<T> AroundAsync<T>(Func<Task<T>> call, ServerCallContext context)
    {
        using var activity = HospitalFedTelemetry.Source.StartActivity("hfed.grpc", ActivityKind.Server);
        activity?.SetTag(HospitalFedTelemetry.Tags.Method, context.Method);
        var started = time.GetTimestamp();
        var status = StatusCode.OK;
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (RpcException ex)
        {
            status = ex.StatusCode;
            throw;
        }
        catch (OperationCanceledException)
        {
            status = StatusCode.Cancelled;
            throw;
        }
        catch
        {
            status = StatusCode.Unknown;
            throw;
        }
        finally
        {
            var tags = new TagList { { HospitalFedTelemetry.Tags.Method, context.Method }, { HospitalFedTelemetry.Tags.StatusCode, (int)status } };
            HospitalFedTelemetry.GrpcCalls.Add(1, tags);
            HospitalFedTelemetry.GrpcDuration.Record(time.GetElapsedTime(started).TotalSeconds, tags);
            if (status != StatusCode.OK)
            {
                activity?.SetStatus(ActivityStatusCode.Error, status.ToString());
            }

            activity?.SetTag(HospitalFedTelemetry.Tags.StatusCode, (int)status);
        }
    }
}
