using System.Net;
using Conveyor.Contracts;

namespace Conveyor.Client;

/// <summary>The server answered with an error (an RFC 9457 problem); <see cref="Problem"/> holds its stable <c>type</c>.</summary>
public sealed class ConveyorApiException : Exception
{
    /// <summary>Creates the exception for an error answer.</summary>
    public ConveyorApiException(HttpStatusCode statusCode, Problem? problem)
        : base(problem?.Detail ?? problem?.Title ?? $"the server answered {(int)statusCode} {statusCode}")
    {
        StatusCode = statusCode;
        Problem = problem;
    }

    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; }

    /// <summary>The problem body, when the server sent one; switch on its <c>Type</c> with <see cref="ProblemTypes"/>.</summary>
    public Problem? Problem { get; }

    /// <summary>True for a <c>409 stale-lease</c>: the lease token is not the job's current one.</summary>
    public bool IsStaleLease => Problem?.Type == ProblemTypes.StaleLease;
}
