using System;

namespace Microsoft.Xrm.Sdk.Extensions
{
    /// <summary>Helpers of Microsoft's plugin template for reading services from the service provider.</summary>
    public static class ServiceProviderExtensions
    {
        /// <summary>The service of type <typeparamref name="T"/>, or default when the provider has none.</summary>
        public static T Get<T>(this IServiceProvider serviceProvider)
        {
            if (serviceProvider == null) throw new ArgumentNullException(nameof(serviceProvider));
            return (T)serviceProvider.GetService(typeof(T));
        }

        /// <summary>An organization service running as the user <paramref name="id"/>, from the provider's factory.</summary>
        public static IOrganizationService GetOrganizationService(this IServiceProvider serviceProvider, Guid id)
        {
            var factory = serviceProvider.Get<IOrganizationServiceFactory>()
                ?? throw new InvalidPluginExecutionException("The service provider has no IOrganizationServiceFactory.");
            return factory.CreateOrganizationService(id);
        }
    }

    /// <summary>Helpers for reading the execution context.</summary>
    public static class ContextExtensions
    {
        /// <summary>The input parameter as <typeparamref name="T"/>, or default when it is missing or of another type.</summary>
        public static T InputParameterOrDefault<T>(this IPluginExecutionContext context, string parameterName)
        {
            if (context == null) throw new ArgumentNullException(nameof(context));
            return context.InputParameters.TryGetValue(parameterName, out T value) ? value : default(T);
        }
    }
}
