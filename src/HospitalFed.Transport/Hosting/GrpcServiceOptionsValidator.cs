using Grpc.AspNetCore.Server;
using Microsoft.Extensions.Options;

namespace HospitalFed.Transport.Hosting;

/// <summary>Refuses message limits that cannot work, naming the option, when the host starts.</summary>
internal sealed class GrpcServiceOptionsValidator : IValidateOptions<GrpcServiceOptions>
{
    public ValidateOptionsResult Validate(string? name, GrpcServiceOptions options)
    {
        var failures = new List<string>();
        if (options.MaxReceiveMessageSize is < 0)
        {
            failures.Add($"{nameof(GrpcServiceOptions)}.{nameof(GrpcServiceOptions.MaxReceiveMessageSize)} must not be negative (got {options.MaxReceiveMessageSize}).");
        }

        if (options.MaxSendMessageSize is < 0)
        {
            failures.Add($"{nameof(GrpcServiceOptions)}.{nameof(GrpcServiceOptions.MaxSendMessageSize)} must not be negative (got {options.MaxSendMessageSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
