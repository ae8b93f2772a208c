using Microsoft.Extensions.Options;

namespace HospitalFed.Transport.Internal;

/// <summary>Refuses message limits that cannot work, naming the option.</summary>
internal sealed class RpcServerOptionsValidator : IValidateOptions<RpcServerOptions>
{
    public ValidateOptionsResult Validate(string? name, RpcServerOptions options)
    {
        var failures = new List<string>();
        if (options.MaxReceiveMessageSize is < 0 or > int.MaxValue - GrpcProtocolConstants.FrameHeaderSize)
        {
            failures.Add($"{nameof(RpcServerOptions)}.{nameof(RpcServerOptions.MaxReceiveMessageSize)} must be between 0 and {int.MaxValue - GrpcProtocolConstants.FrameHeaderSize} bytes (got {options.MaxReceiveMessageSize}).");
        }

        if (options.MaxSendMessageSize is < 0 or > int.MaxValue - GrpcProtocolConstants.FrameHeaderSize)
        {
            failures.Add($"{nameof(RpcServerOptions)}.{nameof(RpcServerOptions.MaxSendMessageSize)} must be between 0 and {int.MaxValue - GrpcProtocolConstants.FrameHeaderSize} bytes (got {options.MaxSendMessageSize}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
